/// Where a framework keeps the route it has matched, for a request whose trace is made before
/// the router is done: Hummingbird's result-builder `RouterBuilder` matches inside the
/// middleware chain (its `RouteGroup`s name the group first, then the route), after the
/// profiler's middleware made the trace. An error recorded in the handler then asks here, so
/// it names the route that the request's REQ event names.
///
/// A protocol rather than a closure: a source holding one reference fits in the existential's
/// inline buffer, so passing one costs a request no allocation.
public protocol MatchedRouteSource: Sendable {
    /// The route template matched so far; nil when none (yet).
    var matchedRoute: String? { get }
}
