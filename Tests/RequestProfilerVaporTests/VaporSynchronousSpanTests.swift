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

    let files = try FileManager.default.contentsOfDirectory(atPath: events)
    let lines = try files.flatMap { try String(contentsOfFile: events + "/" + $0, encoding: .utf8).split(separator: "\n") }
    let request = try #require(lines.first { $0.contains("\"kind\":\"REQ\"") && $0.contains("\"route\":\"/sync\"") }, "\(lines)")
    let traceID = try #require(request.firstMatch(of: /"trace_id":"([0-9a-f]+)"/).map { String($0.1) })
    let span = try #require(lines.first { $0.contains("\"kind\":\"SPAN\"") && $0.contains("\"name\":\"render\"") }, "\(lines)")
    #expect(span.contains("\"trace_id\":\"\(traceID)\""))
}
#endif
