import RequestMetrics

/// What ``RequestProfilingCore/startInFutureChain(rawQuery:header:method:path:route:)`` settled
/// for a request that is neither a dashboard URL nor asks for a profile: it is measured, picked
/// for an automatic profile, or (an excluded path) passed through untouched.
public enum FutureChainStart: Sendable {
    /// Not measured (an excluded path): run the chain as is.
    case unmeasured
    /// Measured, not profiled: run the chain, then call ``RequestProfilingCore/finishMeasured(_:result:route:status:requestBytes:responseBytes:thrownError:)``.
    case measured(RequestMeasurement)
    /// Picked by auto-capture, with a profiling slot held: run it with
    /// ``RequestProfilingCore/handle(automatic:path:route:status:requestBytes:responseBytes:thrownError:next:)``,
    /// which frees the slot (as dropping the start does).
    case automatic(AutomaticProfileStart)
}
