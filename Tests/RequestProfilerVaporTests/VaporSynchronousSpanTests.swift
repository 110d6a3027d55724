#if Vapor
import Foundation
import RequestMetrics
import RequestProfilerHTTP
import RequestProfilerVapor
import Testing
import Vapor

/// A span timed in a synchronous Vapor handler belongs to its request. Vapor runs such a
/// handler in a future callback on the event loop unless the body is already collected, and
/// there the request's task-local trace is gone: the span was silently dropped.
@Test func spansInASynchronousHandlerAreRecordedUnderTheirRequest() async throws {
    let events = FileManager.default.temporaryDirectory.appendingPathComponent("rp-sync-span-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: events) }
    let app = try await Application.make(.testing)
    app.enableRequestProfiling(ProfilingSettings(metrics: MetricsSettings(isEnabled: true, directory: events)))
    app.get("sync") { _ -> String in
        RequestMetricsAPI.span("render") { "rendered" }
    }
    try await app.asyncBoot()
    try await app.server.start(address: .hostname("127.0.0.1", port: 0))
    let port = try #require(app.http.server.shared.localAddress?.port)
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    let response = try await client.get(url: "http://127.0.0.1:\(port)/sync").get()
    try await client.shutdown()
    try await app.asyncShutdown()
    #expect(response.status == .ok)
    #expect(response.body.map { String(buffer: $0) } == "rendered")

    let lines = try EventLines(folder: events)
    let traceID = try EventLines.id("trace_id", of: try lines.first(kind: "REQ", ["route": "/sync"]))
    let span = try lines.first(kind: "SPAN", ["name": "render"])
    #expect(try EventLines.id("trace_id", of: span) == traceID)
}
#endif
