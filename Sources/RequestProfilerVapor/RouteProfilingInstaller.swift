#if Vapor
import Vapor

/// At boot, after all routes are registered and before Vapor builds its responder, wraps each
/// route's responder in a ``ProfilingRouteResponder`` (see there for why). Routes added after
/// boot are not wrapped: their handlers still run, but outside the profiled thread.
struct RouteProfilingInstaller: LifecycleHandler {
    func willBoot(_ application: Application) throws {
        Self.wrapRoutes(of: application)
    }

    func willBootAsync(_ application: Application) async throws {
        Self.wrapRoutes(of: application)
    }

    static func wrapRoutes(of application: Application) {
        for route in application.routes.all where !(route.responder is ProfilingRouteResponder) {
            route.responder = ProfilingRouteResponder(wrapping: route.responder)
        }
    }
}
#endif
