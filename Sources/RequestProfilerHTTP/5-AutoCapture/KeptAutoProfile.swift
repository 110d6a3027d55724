import RequestProfiler

/// An automatic profile the slow-request rule kept: its session has stopped sampling but is
/// not built yet. ``BackgroundSaves`` builds and saves it after the response is sent.
struct KeptAutoProfile: Sendable {
    let session: ProfilingSession
    /// The request, labelled as its report will show it.
    let request: RequestInfo
    /// The handler's own time, which the rule judged (the report's name and the dashboard show it).
    let handlerNanoseconds: UInt64
    /// The request's start as its REQ event stamps it (`ts_ns`), so that profiles.json joins
    /// the events; nil for an unmeasured request, whose profile's own start is used.
    let requestTimestampNanoseconds: UInt64?
}
