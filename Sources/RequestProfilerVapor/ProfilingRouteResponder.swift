#if Vapor
import RequestMetrics
import RequestProfiler
import Vapor

/// Replaces a route's responder at boot. Outside a profiled request it calls the original
/// responder unchanged (one task-local read). Inside one (`ProfilingSession.current` is set,
/// and Vapor's `Task {}` copied it), it re-enters the session so the route-group middleware
/// and the handler run on the sampled thread, also after their awaits.
///
/// In a measured request (`RequestTrace.current` is set) it also notes the error the route
/// throws under ``HandlerErrorKey``, before Vapor's `ErrorMiddleware` turns it into a response,
/// and has a synchronous handler run in the request's task (see ``EmptyBodyCollector``), so
/// that its spans and recorded errors find the request.
struct ProfilingRouteResponder: Responder {
    let original: any Responder
    let chain: ResponderChainLink
    let endsInSynchronousHandler: Bool

    init(wrapping original: any Responder) {
        self.original = original
        self.chain = ResponderChainLink(original)
        self.endsInSynchronousHandler = chain.endsInSynchronousHandler
    }

    func respond(to request: Request) -> EventLoopFuture<Response> {
        guard let session = ProfilingSession.current else {
            let isMeasured = RequestTrace.current != nil
            // Vapor runs a synchronous handler in a future callback on the event loop, outside
            // the request's task, unless the body is already collected: RequestTrace.current
            // would be nil there, and its spans lost.
            if isMeasured && endsInSynchronousHandler { EmptyBodyCollector.collectIfBodiless(request) }
            let response = original.respond(to: request)
            if isMeasured {
                // Registered before the caller's callbacks, so it runs before ErrorMiddleware's.
                response.whenFailure { request.storage[HandlerErrorKey.self] = $0 }
            }
            return response
        }
        let promise = request.eventLoop.makePromise(of: Response.self)
        let chain = self.chain
        let isMeasured = RequestTrace.current != nil
        promise.completeWithTask {
            do {
                return try await session.run { try await chain.respond(to: request) }
            } catch {
                if isMeasured { request.storage[HandlerErrorKey.self] = error }
                throw error
            }
        }
        return promise.futureResult
    }
}
#endif
