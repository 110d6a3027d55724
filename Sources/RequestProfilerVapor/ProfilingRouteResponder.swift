#if Vapor
import RequestMetrics
import RequestProfiler
import Vapor

/// Replaces a route's responder at boot. Outside a profiled or measured request it calls the
/// original responder unchanged (a storage lookup and two task-local reads). Inside a profiled
/// one (the request's storage holds its session, ``RequestContextKey``, or
/// `ProfilingSession.current` is set and Vapor's `Task {}` copied it), it re-enters the
/// session so the route-group middleware and the handler run on the sampled thread, also after
/// their awaits.
///
/// In a measured request (its trace is kept in the storage, or `RequestTrace.current` is set) it also notes
/// the error the route throws under ``HandlerErrorKey``, before Vapor's `ErrorMiddleware` turns
/// it into a response, and binds the trace while the route runs, so that its spans and
/// recorded errors find the request.
struct ProfilingRouteResponder: Responder {
    let original: any Responder
    let chain: ResponderChainLink

    init(wrapping original: any Responder) {
        self.original = original
        self.chain = ResponderChainLink(original)
    }

    func respond(to request: Request) -> EventLoopFuture<Response> {
        // The request's storage first: it is this request's own. The task-locals may be
        // another request's: a synchronous middleware that called this from a future callback
        // runs outside its request's task, and where a measured request's synchronous code
        // completed the promise it waited on, NIO ran the callback inline, inside that
        // request's bound trace (see RequestContextKey). The bound trace is taken when it is
        // this request's (the same trace id): it may be a span a middleware opened around
        // `next`, under which the route's spans belong. The task-locals alone when nothing is
        // kept (a request the app made and sent through the responder inside a profiled or
        // measured one).
        let session: ProfilingSession?
        var trace = RequestTrace.current
        if let kept = request.storage[RequestContextKey.self] {
            session = kept.session
            if trace?.traceID != kept.trace?.traceID { trace = kept.trace }
        } else {
            session = ProfilingSession.current
        }
        guard let session else {
            guard let trace else { return original.respond(to: request) }
            return respondMeasured(to: request, trace: trace)
        }
        let boundTrace = trace
        return chain.respondInNewTask(to: request, session: session, trace: boundTrace) { error in
            if boundTrace != nil { request.storage[HandlerErrorKey.self] = error }
        }
    }

    /// A measured request that is not profiled: the route runs where Vapor runs it, with the
    /// trace bound wherever a link of its chain runs (see
    /// ``ResponderChainLink/respondMeasured(to:trace:)``).
    private func respondMeasured(to request: Request, trace: TraceContext) -> EventLoopFuture<Response> {
        let response = chain.respondMeasured(to: request, trace: trace)
        // Registered before the caller's callbacks, so it runs before ErrorMiddleware's.
        response.whenFailure { request.storage[HandlerErrorKey.self] = $0 }
        return response
    }
}
#endif
