#if Vapor
import RequestProfilerHTTP
import RequestProfilerVapor
import Testing
import Vapor
import VaporTesting

/// The dashboard's sign-in cookie is found whichever `Cookie` field carries it: HTTP/2 clients
/// and some proxies send one field per cookie instead of one joined field.
@Test func theDashboardCookieCountsInAnyOfSeveralCookieFields() async throws {
    try await withApp(configure: { app in
        app.enableRequestProfiling(ProfilingSettings(dashboard: DashboardSettings(prefix: "/_p", token: "s3cret")))
    }) { app in
        var signIn: String?
        try await app.testing().test(.GET, "/_p/?token=s3cret") { response in
            #expect(response.status == .seeOther)
            signIn = response.headers.first(name: .setCookie)?.split(separator: ";").first.map(String.init)
        }
        let cookie = try #require(signIn)
        var split = HTTPHeaders()
        split.add(name: .cookie, value: "theme=dark")
        split.add(name: .cookie, value: cookie)
        try await app.testing().test(.GET, "/_p/metrics.json", headers: split) { response in
            #expect(response.status == .ok)
        }
        var wrong = HTTPHeaders()
        wrong.add(name: .cookie, value: "theme=dark")
        wrong.add(name: .cookie, value: "request_profiler_dashboard=nope")
        try await app.testing().test(.GET, "/_p/metrics.json", headers: wrong) { response in
            #expect(response.status == .unauthorized)
        }
    }
}
#endif
