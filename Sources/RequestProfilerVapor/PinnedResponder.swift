#if Vapor
import RequestMetrics
import RequestProfiler
import Vapor

/// The rest of a route's chain as handed to a route-group middleware: awaited directly when
/// called asynchronously, and, when a synchronous middleware calls it through the
/// `EventLoopFuture` API, run in a new task that re-enters the profiling session.
///
/// The session and the metrics trace are those of the moment the middleware was handed this
/// responder, not of the moment it calls it: a middleware that calls it from a future callback
/// (`flatMap`, as Vapor's `RequestAuthenticator` does) runs on the event loop, where the
/// request's task-locals are not set.
struct PinnedResponder: AsyncResponder {
    let link: ResponderChainLink
    let session: ProfilingSession?
    let trace: TraceContext?

    init(_ link: ResponderChainLink, session: ProfilingSession? = ProfilingSession.current, trace: TraceContext? = RequestTrace.current) {
        self.link = link
        self.session = session
        self.trace = trace
    }

    func respond(to request: Request) async throws -> Response {
        try await link.respond(to: request)
    }

    func respond(to request: Request) -> EventLoopFuture<Response> {
        link.respondInNewTask(to: request, session: session, trace: trace)
    }
}
#endif
