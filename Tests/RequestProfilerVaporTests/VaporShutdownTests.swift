#if Vapor
import Foundation
import ReportTestSupport
import RequestProfilerHTTP
import RequestProfilerPyroscope
import RequestProfilerVapor
import Synchronization
import Testing
import Vapor

/// Graceful shutdown (what SIGTERM does to `vapor serve`) while requests are in flight: Vapor
/// runs lifecycle handlers before it stops its HTTP server, so a collector drained there was
/// closed before those requests finished, and their REQ lines were lost.
@Test func inFlightRequestsAreRecordedWhenTheAppShutsDown() async throws {
    let events = FileManager.default.temporaryDirectory.appendingPathComponent("rp-shutdown-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: events) }
    let app = try await Application.make(.testing)
    app.enableRequestProfiling(ProfilingSettings(metrics: MetricsSettings(isEnabled: true, directory: events)))
    let started = Mutex(0)
    app.get("slow") { _ async throws -> String in
        started.withLock { $0 += 1 }
        try await Task.sleep(for: .milliseconds(300))
        return "done"
    }
    try await app.asyncBoot()
    try await app.server.start(address: .hostname("127.0.0.1", port: 0))
    let port = try #require(app.http.server.shared.localAddress?.port)
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    let requests = (0..<3).map { _ in
        Task { try await client.get(url: "http://127.0.0.1:\(port)/slow").get() }
    }
    for _ in 0..<1_000 where started.withLock({ $0 }) < 3 { try await Task.sleep(for: .milliseconds(10)) }
    #expect(started.withLock { $0 } == 3, "the requests are in flight before the shutdown")
    try await app.asyncShutdown()

    for request in requests {
        let response = try await request.value
        #expect(response.status == .ok)
        #expect(response.body.map { String(buffer: $0) } == "done")
    }
    try await client.shutdown()
    // The collector is drained: every file has its final name, and nothing is still queued.
    let lines = try EventLines(folder: events)
    #expect(!lines.files.contains { $0.contains("active") }, "\(lines.files)")
    #expect(lines.all(kind: "REQ", ["route": "/slow"]).count == 3, "\(lines)")
}

/// A profile queued for Pyroscope is sent before the app has shut down, also with metrics off:
/// the drain was registered only with metrics on, and a profile waiting for its retry (the
/// receiver answers the first try with a 503) was lost at exit, uncounted.
@Test(.timeLimit(.minutes(1))) func queuedPyroscopeProfilesAreSentWhenTheAppShutsDown() async throws {
    let receiver = try LoopbackReceiver(statuses: [503])
    defer { receiver.stop() }
    let app = try await Application.make(.testing)
    let middleware = app.enableRequestProfiling(ProfilingSettings(
        isEnabled: true, pyroscope: PyroscopeSettings(serverURL: receiver.url, applicationName: "shop")))
    app.get("hello") { _ in "hello" }
    try await app.testing().test(.GET, "/hello?profile=1&profile_format=text") { response in
        #expect(response.status == .ok)
    }
    try await app.asyncShutdown()
    let statistics = try #require(middleware.core.pyroscope).statistics
    #expect(statistics.sent == 1 && statistics.retries == 1, "\(statistics)")
    #expect(try receiver.received().count == 2)
}
#endif
