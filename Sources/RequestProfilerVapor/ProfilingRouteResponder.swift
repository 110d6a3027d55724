#if Vapor
import RequestMetrics
import RequestProfiler
import Vapor

/// Replaces a route's responder at boot. Outside a profiled or measured request it calls the
/// original responder unchanged (two task-local reads and a storage lookup). Inside a profiled
/// one (`ProfilingSession.current` is set, and Vapor's `Task {}` copied it, or the request's
/// storage holds it: ``RequestContextKey``), it re-enters the session so the route-group
/// middleware and the handler run on the sampled thread, also after their awaits.
///
/// In a measured request (`RequestTrace.current` is set, or kept in the storage) it also notes
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
        // Task-locals first (both are bound together); the request's storage when a synchronous
        // middleware called this from a future callback, outside the request's task (see
        // RequestContextKey).
        var session = ProfilingSession.current
        var trace = RequestTrace.current
        if session == nil && trace == nil, let kept = request.storage[RequestContextKey.self] {
            (session, trace) = (kept.session, kept.trace)
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
