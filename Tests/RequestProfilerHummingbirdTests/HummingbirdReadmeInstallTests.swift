#if Hummingbird
// Only the adapter among the profiler's modules, as README's install section shows it: what
// the section uses must come with `RequestProfilerHummingbird` alone.
import Hummingbird
import HummingbirdTesting
import RequestProfilerHummingbird
import Testing

/// README's in-code install lines (the middleware, and its service for graceful shutdown) compile with nothing but the adapter imported (the settings
/// type lives in a module that is not a product), and profiles a request.
@Test func readmesHummingbirdInstallLineNeedsOnlyTheAdapter() async throws {
    let router = Router()
    let profiling = RequestProfilingMiddleware<BasicRequestContext>(ProfilingSettings(isEnabled: true))
    router.add(middleware: profiling)
    router.get("hello") { _, _ in "hello" }
    let app = Application(router: router, services: [profiling.metricsService])
    try await app.test(.router) { client in
        let response = try await client.execute(uri: "/hello?profile=1&profile_format=text", method: .get)
        #expect(response.status == .ok)
        #expect(String(buffer: response.body).hasPrefix("GET /hello -> 200"), "\(String(buffer: response.body).prefix(200))")
    }
}
#endif
