#if Vapor
import RequestProfiler
import Vapor

/// The rest of a route's chain as handed to a route-group middleware: awaited directly when
/// called asynchronously, and, when a synchronous middleware calls it through the
/// `EventLoopFuture` API, run in a new task that re-enters the profiling session.
struct PinnedResponder: AsyncResponder {
    let link: ResponderChainLink

    init(_ link: ResponderChainLink) {
        self.link = link
    }

    func respond(to request: Request) async throws -> Response {
        try await link.respond(to: request)
    }

    func respond(to request: Request) -> EventLoopFuture<Response> {
        let promise = request.eventLoop.makePromise(of: Response.self)
        let session = ProfilingSession.current
        let link = self.link
        promise.completeWithTask {
            guard let session else { return try await link.respond(to: request) }
            return try await session.run { try await link.respond(to: request) }
        }
        return promise.futureResult
    }
}
#endif
