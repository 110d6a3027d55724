/// A (method, route) pair: stats are kept per route template and method, as the dashboard shows them.
struct RouteKey: Hashable, Sendable {
    var method: String
    var route: String
}
