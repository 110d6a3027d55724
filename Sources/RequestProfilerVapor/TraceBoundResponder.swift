#if Vapor
import RequestMetrics
import Vapor

/// The rest of a measured route's chain as handed to a route-group middleware: whenever and
/// wherever the middleware calls it (a future callback on the event loop, outside the
/// request's task), the request's trace is bound again around it.
struct TraceBoundResponder: Responder {
    let next: ResponderChainLink
    let trace: TraceContext

    func respond(to request: Request) -> EventLoopFuture<Response> {
        next.respondMeasured(to: request, trace: trace)
    }
}
#endif
