/// The trigger's verdict on one request.
public enum TriggerDecision: Sendable, Equatable {
    /// Not a profiling request (profiling off, or no `profile` parameter): serve it untouched.
    case passThrough
    /// Serve it unprofiled, adding these headers (e.g. `X-Profile-Skipped` over the limit).
    case serveUnprofiled(headers: [HTTPHeaderField])
    /// Answer with this error instead of running the handler.
    case reject(ProfilingRejection)
    /// Profile it. A concurrency slot has been taken; ``ProfilingTrigger/finished()`` frees it.
    case profile(ProfilingPlan)
}
