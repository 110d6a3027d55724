#if Hummingbird
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RequestProfilerHTTP
import RequestProfilerHummingbird
import Testing

/// A HEAD request gets the headers a GET would, and no body. Hummingbird empties HEAD bodies
/// only for the routes it generates HEAD for; the dashboard's answers and a profile report
/// that replaces a response come from the middleware, and their bodies went on the wire as
/// they were. On a keep-alive connection the client then read those bytes as the start of
/// the next response.
@Suite struct HummingbirdHeadRequestTests {
    @Test func theDashboardAnswersHeadWithHeadersOnly() async throws {
        let router = Router()
        router.add(middleware: RequestProfilingMiddleware<BasicRequestContext>(
            ProfilingSettings(metrics: MetricsSettings(isEnabled: true), dashboard: DashboardSettings(prefix: "/_profiler"))))
        router.get("hello") { _, _ in "hello" }
        let app = Application(router: router)
        try await app.test(.router) { client in
            _ = try await client.execute(uri: "/hello", method: .get)
            for path in ["/_profiler/metrics.json", "/_profiler", "/_profiler/profiles/missing.json"] {
                let get = try await client.execute(uri: path, method: .get)
                let head = try await client.execute(uri: path, method: .head)
                #expect(get.body.readableBytes > 0, "\(path)")
                #expect(head.status == get.status, "\(path)")
                #expect(head.body.readableBytes == 0, "\(path): a HEAD answer with a body")
                #expect(head.headers[.contentType] == get.headers[.contentType], "\(path)")
                if path == "/_profiler/profiles/missing.json" {
                    #expect(head.headers[.contentLength] == get.headers[.contentLength])
                }
            }
        }
    }

    @Test func anUnauthorizedHeadGetsNoBodyEither() async throws {
        let router = Router()
        router.add(middleware: RequestProfilingMiddleware<BasicRequestContext>(
            ProfilingSettings(dashboard: DashboardSettings(prefix: "/_profiler", token: "s3cret"))))
        let app = Application(router: router)
        try await app.test(.router) { client in
            let head = try await client.execute(uri: "/_profiler/metrics.json", method: .head)
            #expect(head.status == .unauthorized)
            #expect(head.body.readableBytes == 0)
            #expect(Int(head.headers[.contentLength] ?? "") ?? 0 > 0, "the length a GET's body would have")
        }
    }

    @Test func aProfiledHeadRequestGetsTheReportsHeadersOnly() async throws {
        let router = Router()
        router.add(middleware: RequestProfilingMiddleware<BasicRequestContext>(ProfilingSettings(isEnabled: true)))
        router.get("hello") { _, _ in "hello" }
        let app = Application(router: router)
        try await app.test(.router) { client in
            let head = try await client.execute(uri: "/hello?profile=1&profile_format=json", method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(head.headers[.contentType]?.hasPrefix("application/json") == true)
        }
    }
}
#endif
