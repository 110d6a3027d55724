import Logging
import RequestProfiler

/// The framework-neutral middleware: trigger -> session -> sink, behind one call, so that the
/// Vapor and Hummingbird adapters only translate their request and response types.
///
/// Adapters call ``isProfilingRequest(rawQuery:)`` first (the fast path: a flag check and a
/// query lookup) and hand the request to ``handle(rawQuery:header:method:path:route:status:next:)``
/// only when it returns true.
public struct RequestProfilingCore: Sendable {
    public let settings: ProfilingSettings
    public let trigger: ProfilingTrigger
    public let recorder: RequestRecorder
    public let sink: ReportSink

    public init(settings: ProfilingSettings, logger: Logger = Logger(label: "request-profiler")) {
        self.settings = settings
        self.trigger = ProfilingTrigger(settings: settings)
        self.recorder = RequestRecorder()
        self.sink = ReportSink(logger: logger)
    }

    /// True only when profiling is enabled and the query turns `profile` on.
    @inline(__always)
    public func isProfilingRequest(rawQuery: String?) -> Bool {
        trigger.isProfilingRequest(rawQuery: rawQuery)
    }

    /// Decides, and runs `next` profiled, unprofiled, or not at all.
    /// - Parameters:
    ///   - header: looks up a request header by name.
    ///   - route: the route template, read after the handler ran.
    ///   - status: the response status for the handler's result (its response or its error).
    ///   - next: the rest of the chain; run at most once.
    public func handle<Response>(
        rawQuery: String?,
        header: (String) -> String?,
        method: String,
        path: String,
        route: () -> String?,
        status: (Result<Response, any Error>) -> Int,
        next: () async throws -> Response
    ) async throws -> ProfilingOutcome<Response> {
        switch trigger.decide(rawQuery: rawQuery, header: header) {
        case .passThrough:
            return .original(.success(try await next()), headers: [])
        case .serveUnprofiled(let headers):
            return .original(.success(try await next()), headers: headers)
        case .reject(let rejection):
            return .replaced(ProfilingResponse(rejection))
        case .profile(let plan):
            defer { trigger.finished() }
            let recording: RequestRecording<Response>
            do {
                recording = try await recorder.record(
                    plan: plan, method: method, path: path, route: route, status: status, handler: next)
            } catch {
                sink.logger.error("request profiler: could not start profiling: \(error)")
                let reason = HTTPHeaderField(ProfilingParameter.skippedHeader, "the profiler could not start (see the server log)")
                return .original(.success(try await next()), headers: [reason])
            }
            return sink.deliver(recording, plan: plan)
        }
    }
}
