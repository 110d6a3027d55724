#if Hummingbird
import Hummingbird
import HummingbirdRouter
import HummingbirdTesting
import RequestMetrics
import RequestProfilerHummingbird
import Testing

/// Hummingbird's result-builder router (`RouterBuilder`) matches the route inside the
/// middleware chain, after the profiler's middleware has started measuring the request.
@Suite struct HummingbirdRouterBuilderTests {
    private struct ItemMissing: Error {}

    @Test func anErrorRecordedInTheHandlerNamesTheRouteItsRequestDoes() async throws {
        let profiling = RequestProfilingMiddleware<BasicRouterRequestContext>(
            ProfilingSettings(metrics: MetricsSettings(isEnabled: true)))
        let router = RouterBuilder(context: BasicRouterRequestContext.self) {
            profiling
            Get("/items/{id}") { _, context -> String in
                RequestMetricsAPI.recordError(ItemMissing(), status: 404)
                return "item \(context.parameters.get("id") ?? "?")"
            }
        }
        try await Application(responder: router).test(.router) { client in
            let response = try await client.execute(uri: "/items/7", method: .get)
            #expect(String(buffer: response.body) == "item 7")
            // An unmatched request records no error and stays unmatched.
            #expect(try await client.execute(uri: "/nowhere", method: .get).status == .notFound)
        }
        let stats = try #require(profiling.core.metrics).stats.snapshot()
        #expect(stats.routes.map(\.route).sorted() == [RouteName.unmatched, "/items/{id}"].sorted())
        #expect(stats.recentErrors.map(\.route) == ["/items/{id}"], "recorded under \(stats.recentErrors.map(\.route))")
    }

    /// Inside a `RouteGroup` the endpoint path names the group when the trace is made, and the
    /// route once the handler runs.
    @Test func anErrorRecordedInAGroupsHandlerNamesTheRouteNotTheGroup() async throws {
        let profiling = RequestProfilingMiddleware<BasicRouterRequestContext>(
            ProfilingSettings(metrics: MetricsSettings(isEnabled: true)))
        let router = RouterBuilder(context: BasicRouterRequestContext.self) {
            RouteGroup("api") {
                profiling
                Get("items/{id}") { _, _ -> String in
                    RequestMetricsAPI.recordError(ItemMissing(), status: 404)
                    return "item"
                }
            }
        }
        try await Application(responder: router).test(.router) { client in
            let response = try await client.execute(uri: "/api/items/7", method: .get)
            #expect(response.status == .ok)
        }
        let stats = try #require(profiling.core.metrics).stats.snapshot()
        #expect(stats.routes.map(\.route) == ["/api/items/{id}"])
        #expect(stats.recentErrors.map(\.route) == ["/api/items/{id}"], "recorded under \(stats.recentErrors.map(\.route))")
    }

    /// A group with a context of its own. Made as Hummingbird's documentation shows
    /// (`coreContext = .init(source: context)`), the child's core context starts an empty
    /// endpoint path, where the route inside the group writes its template; the profiler
    /// outside the group reads the parent's, which names only the group (as Hummingbird's own
    /// MetricsMiddleware does). Copied from the parent, the path is shared: README's advice.
    @Test func aTransformedGroupsRoute() async throws {
        #expect(try await routes(measuredThrough: FreshChildContext.self) == ["/api"])
        #expect(try await routes(measuredThrough: SharingChildContext.self) == ["/api/users/{id}"])
    }

    /// The routes measured by a profiler outside a group with the context `Child`.
    private func routes<Child: ChildRequestContext & RouterRequestContext>(measuredThrough child: Child.Type) async throws -> [String]
    where Child.ParentContext == BasicRouterRequestContext {
        let profiling = RequestProfilingMiddleware<BasicRouterRequestContext>(
            ProfilingSettings(metrics: MetricsSettings(isEnabled: true)))
        let router = RouterBuilder(context: BasicRouterRequestContext.self) {
            profiling
            RouteGroup("api", context: Child.self) {
                Get("users/{id}") { _, context -> String in "user \(context.parameters.get("id") ?? "?")" }
            }
        }
        try await Application(responder: router).test(.router) { client in
            let response = try await client.execute(uri: "/api/users/7", method: .get)
            #expect(String(buffer: response.body) == "user 7")
        }
        return try #require(profiling.core.metrics).stats.snapshot().routes.map(\.route)
    }
}

/// A child context made as Hummingbird's documentation shows.
private struct FreshChildContext: ChildRequestContext, RouterRequestContext {
    var coreContext: CoreRequestContextStorage
    var routerContext: RouterBuilderContext

    init(context: BasicRouterRequestContext) throws {
        coreContext = .init(source: context)
        routerContext = context.routerContext
    }
}

/// A child context that shares its parent's core context, and so its endpoint path.
private struct SharingChildContext: ChildRequestContext, RouterRequestContext {
    var coreContext: CoreRequestContextStorage
    var routerContext: RouterBuilderContext

    init(context: BasicRouterRequestContext) throws {
        coreContext = context.coreContext
        routerContext = context.routerContext
    }
}
#endif
