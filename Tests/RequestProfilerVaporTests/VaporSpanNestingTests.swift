#if Vapor
import Foundation
import RequestMetrics
import RequestProfilerHTTP
import RequestProfilerVapor
import Testing
import Vapor

/// Times the rest of the chain as a span, as an authentication middleware's author would.
private struct AuthSpanMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await RequestMetricsAPI.span("auth") { try await next.respond(to: request) }
    }
}

/// A span the route opens nests under the span a global middleware opened around `next`: the
/// route's responder takes the request's trace from its storage, where the request's own
/// span is kept, but the bound one when it is the same request's, a span deeper.
@Test func aRoutesSpanNestsUnderAMiddlewaresSpan() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rp-span-nesting-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let app = try await Application.make(.testing)
    app.enableRequestProfiling(ProfilingSettings(metrics: MetricsSettings(isEnabled: true, directory: folder)))
    app.middleware.use(AuthSpanMiddleware())
    app.get("nested") { _ -> String in
        RequestMetricsAPI.span("handler") { "nested" }
    }
    try await app.asyncBoot()
    try await app.server.start(address: .hostname("127.0.0.1", port: 0))
    let port = try #require(app.http.server.shared.localAddress?.port)
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    let response = try await client.get(url: "http://127.0.0.1:\(port)/nested").get()
    try await client.shutdown()
    try await app.asyncShutdown()
    #expect(response.body.map { String(buffer: $0) } == "nested")

    let events = try EventLines(folder: folder)
    let authID = try EventLines.id("span_id", of: try events.first(kind: "SPAN", ["name": "auth"]))
    let handler = try events.first(kind: "SPAN", ["name": "handler"])
    #expect(try EventLines.id("parent_span_id", of: handler) == authID, "\(handler)")
}
#endif
