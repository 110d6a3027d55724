import RequestMetrics

/// What ``RequestProfilingCore/startMeasuredOnly(rawQuery:header:method:path:route:)`` settled
/// for a request that is neither a dashboard URL, nor asks for a profile, nor may be profiled
/// automatically: it is measured, or (an excluded path) passed through untouched.
public enum MeasuredOnlyStart: Sendable {
    case measured(RequestMeasurement)
    case unmeasured
}
