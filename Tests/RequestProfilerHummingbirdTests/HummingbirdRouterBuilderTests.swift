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
}
#endif
