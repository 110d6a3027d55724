import RequestMetrics

/// What the core settled about a request before its handler runs: the part of the middleware
/// that does not depend on the framework's response type, so it is compiled once here while
/// the adapters' own (specialized) code runs the handler. Only the profiled cases go through
/// the generic code in this module.
@usableFromInline
enum RequestStart: Sendable {
    /// A dashboard URL: answer with this, run nothing else.
    case dashboard(DashboardAnswer)
    /// Run the handler as is and add these headers (e.g. `X-Profile-Skipped`); measure it when
    /// the measurement is there.
    case unprofiled(RequestMeasurement?, headers: [HTTPHeaderField])
    /// Profile it, or refuse to; measure it when the measurement is there.
    case profiled(RequestMeasurement?, ProfiledStart)
}

/// The profiling side of a ``RequestStart``.
@usableFromInline
enum ProfiledStart: Sendable {
    /// `?profile=1` refused (bad token, bad parameter, over the limit): answer with the rejection.
    case rejected(ProfilingRejection)
    /// `?profile=1` accepted; holds a slot that ``ProfilingTrigger/finished()`` frees.
    case query(ProfilingPlan)
    /// Picked by this auto-capture; holds a slot that ``AutoCapture/finished()`` frees.
    case automatic(AutoCapture)
}
