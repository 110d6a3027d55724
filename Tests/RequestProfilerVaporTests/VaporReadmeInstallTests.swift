#if Vapor
// Only the adapter among the profiler's modules, as README's install section shows it: what
// the section uses must come with `RequestProfilerVapor` alone.
import RequestProfilerVapor
import Testing
import Vapor
import VaporTesting

/// README's in-code install line compiles with nothing but the adapter imported (the settings
/// type lives in a module that is not a product), and profiles a request.
@Test func readmesInstallLineNeedsOnlyTheAdapter() async throws {
    try await withApp(configure: { app in
        app.enableRequestProfiling(ProfilingSettings(isEnabled: true, token: "s3cret"))
        app.get("hello") { _ in "hello" }
    }) { app in
        try await app.testing().test(.GET, "/hello?profile=1&profile_format=text", headers: ["X-Profile-Token": "s3cret"]) { response in
            #expect(response.status == .ok)
            #expect(response.body.string.hasPrefix("GET /hello -> 200"), "\(response.body.string.prefix(200))")
        }
    }
}
#endif
