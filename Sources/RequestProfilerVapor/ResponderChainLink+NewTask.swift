#if Vapor
import RequestMetrics
import RequestProfiler
import Vapor

extension ResponderChainLink {
    /// Runs this link and those after it for a caller that needs a future (Vapor's
    /// `Responder` API, called by a synchronous middleware): in a new task that starts on the
    /// session's sampled thread when there is a session (see
    /// ``RequestProfiler/ProfilingSession/runInNewTask(_:)``), on the global pool otherwise,
    /// with `trace` bound. `failed` sees an error before the future fails with it.
    func respondInNewTask(
        to request: Request, session: ProfilingSession?, trace: TraceContext?,
        failed: @escaping @Sendable (any Error) -> Void = { _ in }
    ) -> EventLoopFuture<Response> {
        let promise = request.eventLoop.makePromise(of: Response.self)
        let work: @Sendable () async -> Void = { [self] in
            do {
                promise.succeed(try await RequestTrace.$current.withValue(trace) { try await self.respond(to: request) })
            } catch {
                failed(error)
                promise.fail(error)
            }
        }
        if let session { session.runInNewTask(work) } else { Task { await work() } }
        return promise.futureResult
    }
}
#endif
