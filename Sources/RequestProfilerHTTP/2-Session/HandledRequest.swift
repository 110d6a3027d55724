/// What the profiling half of the core did with one request, with what the metrics half
/// needs to record it: the handler's status and error when a report replaced its response,
/// and the name of a report saved for it.
struct HandledRequest<Response> {
    var outcome: ProfilingOutcome<Response>
    /// The handler's status when ``outcome`` replaced its response with a report; nil when
    /// the handler did not run (a rejection) or its response is in ``outcome``.
    var handlerStatus: Int? = nil
    /// The handler's error when ``outcome`` replaced its response with a report.
    var handlerError: (any Error)? = nil
    /// The file name of the report saved for this request.
    var savedReport: String? = nil
    /// An automatic profile kept as slow, to build and save once the response is on its way.
    var keptAutoProfile: KeptAutoProfile? = nil
}
