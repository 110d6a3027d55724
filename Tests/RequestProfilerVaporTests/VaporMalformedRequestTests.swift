#if Vapor
import Foundation
import NIOHTTP1
import RequestProfilerHTTP
import RequestProfilerVapor
import Testing
import Vapor
import VaporTesting

/// A request body cut short or badly chunked makes the handler's body read throw NIO's
/// HTTPParserError; ErrorMiddleware makes a 500 of it, which the client never gets (NIO closes
/// the connection). It is the client's error: not a server failure in the error rate and the
/// recent errors.
@Test func aMalformedRequestIsAClientErrorNotAServerFailure() async throws {
    try await withApp(configure: { app in
        app.enableRequestProfiling(ProfilingSettings(
            metrics: MetricsSettings(isEnabled: true), dashboard: DashboardSettings(prefix: "/_p")))
        app.post("upload") { _ -> String in throw HTTPParserError.invalidChunkSize }
    }) { app in
        try await app.testing().test(.POST, "/upload") { _ in }
        try await app.testing().test(.GET, "/_p/errors.json") { response in
            let listed = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [Any])
            #expect(listed.isEmpty, "recent errors: \(listed)")
        }
        try await app.testing().test(.GET, "/_p/metrics.json") { response in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
            let routes = try #require(object["routes"] as? [[String: Any]])
            let upload = try #require(routes.first { $0["route"] as? String == "/upload" })
            #expect(upload["count"] as? Int == 1)
            #expect(upload["errors"] as? Int == 0)
        }
    }
}
#endif
