#if Vapor
import RequestMetrics
import RequestProfiler
import Vapor

/// One link of a route's responder chain, taken apart at boot so that, during a profiled
/// request, each link can be called directly on the sampled thread.
///
/// Vapor builds a route's chain as nested private `HTTPMiddlewareResponder`s (the middleware of
/// its route groups) around the handler's `BasicResponder` or `AsyncBasicResponder`. Called the
/// normal way, every `AsyncMiddleware` and async handler starts a `Task {}`, which leaves the
/// profiling session's executor. Called through these links, async middleware and handlers
/// are awaited directly, so their frames are sampled also after awaits. A responder of an
/// unknown kind is kept whole and called as Vapor would.
indirect enum ResponderChainLink: Sendable {
    case middleware(any Middleware, next: ResponderChainLink)
    case asyncHandler(any AsyncResponder)
    case handler(any Responder)

    /// Takes `responder` apart, as far as its shape is known.
    init(_ responder: any Responder) {
        if let (middleware, next) = Self.middlewareParts(of: responder) {
            self = .middleware(middleware, next: ResponderChainLink(next))
        } else if let asyncResponder = responder as? any AsyncResponder {
            self = .asyncHandler(asyncResponder)
        } else {
            self = .handler(responder)
        }
    }

    /// Runs this link and those after it, in the current task (no hop).
    func respond(to request: Request) async throws -> Response {
        switch self {
        case .middleware(let middleware, let next):
            let pinnedNext = PinnedResponder(next)
            if let asyncMiddleware = middleware as? any AsyncMiddleware {
                return try await asyncMiddleware.respond(to: request, chainingTo: pinnedNext)
            }
            return try await middleware.respond(to: request, chainingTo: pinnedNext).get()
        case .asyncHandler(let responder):
            let response: Response = try await responder.respond(to: request)
            return response
        case .handler(let responder):
            EmptyBodyCollector.collectIfBodiless(request)
            return try await responder.respond(to: request).get()
        }
    }

    /// Runs this link and those after it for a measured request that is not profiled: each
    /// where Vapor would run it, with the request's trace bound around every call, so that
    /// spans and recorded errors find their request also when a synchronous middleware calls
    /// its `next` from a future callback, on the event loop, outside the request's task.
    ///
    /// Vapor runs a synchronous handler of a request without a body on the event loop, in a
    /// future callback after "collecting" the body, where the trace would be gone. So the body
    /// is marked collected (see ``EmptyBodyCollector``), which has Vapor call the handler at
    /// once, and the call is made on the event loop: a handler that checks its loop
    /// (`preconditionInEventLoop`, `NIOLoopBound`) must not find itself on a concurrency-pool
    /// thread because metrics are on.
    func respondMeasured(to request: Request, trace: TraceContext) -> EventLoopFuture<Response> {
        switch self {
        case .middleware(let middleware, let next):
            return RequestTrace.$current.withValue(trace) {
                middleware.respond(to: request, chainingTo: TraceBoundResponder(next: next, trace: trace))
            }
        case .asyncHandler(let responder):
            // Starts the handler's task, which copies the bound trace.
            return RequestTrace.$current.withValue(trace) { (responder as any Responder).respond(to: request) }
        case .handler(let responder):
            let run: @Sendable () -> EventLoopFuture<Response> = {
                EmptyBodyCollector.collectIfBodiless(request)
                return RequestTrace.$current.withValue(trace) { responder.respond(to: request) }
            }
            return request.eventLoop.inEventLoop ? run() : request.eventLoop.flatSubmit(run)
        }
    }

    /// The `middleware` and `responder` of Vapor's private `HTTPMiddlewareResponder`.
    private static func middlewareParts(of responder: any Responder) -> (any Middleware, any Responder)? {
        guard String(describing: type(of: responder)) == "HTTPMiddlewareResponder" else { return nil }
        let mirror = Mirror(reflecting: responder)
        guard let middleware = mirror.descendant("middleware") as? any Middleware,
            let next = mirror.descendant("responder") as? any Responder
        else { return nil }
        return (middleware, next)
    }
}
#endif
