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
    let events = FileManager.default.temporaryDirectory.appendingPathComponent("rp-span-nesting-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: events) }
    let app = try await Application.make(.testing)
    app.enableRequestProfiling(ProfilingSettings(metrics: MetricsSettings(isEnabled: true, directory: events)))
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

    let files = try FileManager.default.contentsOfDirectory(atPath: events)
    let lines = try files.flatMap { try String(contentsOfFile: events + "/" + $0, encoding: .utf8).split(separator: "\n") }
    func span(named name: String) throws -> Substring {
        try #require(lines.first { $0.contains("\"kind\":\"SPAN\"") && $0.contains("\"name\":\"\(name)\"") }, "\(lines)")
    }
    let auth = try span(named: "auth")
    let authID = try #require(auth.firstMatch(of: /"span_id":"([0-9a-f]+)"/).map { String($0.1) })
    let handler = try span(named: "handler")
    #expect(handler.contains("\"parent_span_id\":\"\(authID)\""), "\(handler)")
}
#endif
