#if Vapor
import Synchronization
import Vapor

/// Each route's template (`/users/:id`), made once per route instead of once per request.
///
/// Vapor keeps a route's path as `[PathComponent]` behind a lock; joining it into a string
/// took two locks, an array copy and two allocations per read, and the core reads the route
/// before and after the handler. Here a read is one uncontended lock and a dictionary lookup.
/// Entries hold their route, so an identifier is never reused while it is cached. A route
/// whose `path` is changed after it served a request keeps its first template (Vapor routes
/// are fixed once the application boots).
final class RouteTemplateCache: Sendable {
    private struct Entry {
        let route: Route
        let template: String
    }

    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])

    func template(of route: Route) -> String {
        let id = ObjectIdentifier(route)
        if let cached = entries.withLock({ $0[id]?.template }) { return cached }
        let template = "/" + route.path.string
        entries.withLock { $0[id] = Entry(route: route, template: template) }
        return template
    }
}
#endif
