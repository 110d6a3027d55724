#if Vapor
import RequestProfiler
import Vapor

/// Replaces a route's responder at boot. Outside a profiled request it calls the original
/// responder unchanged (one task-local read). Inside one (`ProfilingSession.current` is set,
/// and Vapor's `Task {}` copied it), it re-enters the session so the route-group middleware
/// and the handler run on the sampled thread, also after their awaits.
struct ProfilingRouteResponder: Responder {
    let original: any Responder
    let chain: ResponderChainLink

    init(wrapping original: any Responder) {
        self.original = original
        self.chain = ResponderChainLink(original)
    }

    func respond(to request: Request) -> EventLoopFuture<Response> {
        guard let session = ProfilingSession.current else {
            return original.respond(to: request)
        }
        let promise = request.eventLoop.makePromise(of: Response.self)
        let chain = self.chain
        promise.completeWithTask {
            try await session.run { try await chain.respond(to: request) }
        }
        return promise.futureResult
    }
}
#endif
