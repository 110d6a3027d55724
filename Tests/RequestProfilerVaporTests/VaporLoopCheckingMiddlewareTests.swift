#if Vapor
import Foundation
import RequestMetrics
import RequestProfilerHTTP
import RequestProfilerVapor
import Synchronization
import Testing
import Vapor

/// Counts the middleware's calls, each made after its loop check passed.
private final class CallCount: Sendable {
    let value = Atomic<Int>(0)
}

/// A global middleware that insists on its event loop, as one holding a `NIOLoopBound` does:
/// off the loop, `preconditionInEventLoop` traps the server.
private struct EventLoopOnlyMiddleware: Middleware {
    let calls: CallCount

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        request.eventLoop.preconditionInEventLoop()
        calls.value.add(1, ordering: .relaxed)
        return next.respond(to: request)
    }
}

/// README's way to keep such a middleware on its loop when requests are profiled, on demand or
/// by auto-capture: add it at the beginning after profiling is enabled, so that it runs before
/// the profiler's middleware. Run after the profiler's, on the sampled thread, it traps.
@Test func aMiddlewareAddedBeforeTheProfilersStaysOnItsEventLoop() async throws {
    let reports = FileManager.default.temporaryDirectory.appendingPathComponent("rp-loop-mw-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: reports) }
    let app = try await Application.make(.testing)
    app.enableRequestProfiling(ProfilingSettings(
        isEnabled: true, outputDirectory: reports, metrics: MetricsSettings(isEnabled: true),
        autoCapture: AutoCaptureSettings(rate: 1, slowerThan: .zero), random: .seeded(1)))
    let calls = CallCount()
    app.middleware.use(EventLoopOnlyMiddleware(calls: calls), at: .beginning)
    app.get("hello") { _ in "hello" }
    try await app.asyncBoot()
    try await app.server.start(address: .hostname("127.0.0.1", port: 0))
    let port = try #require(app.http.server.shared.localAddress?.port)
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    let profiled = try await client.get(url: "http://127.0.0.1:\(port)/hello?profile=1").get()
    let automatic = try await client.get(url: "http://127.0.0.1:\(port)/hello").get()
    try await client.shutdown()
    try await app.asyncShutdown()

    #expect(profiled.status == .ok)
    #expect(profiled.body.map { String(buffer: $0) } == "hello")
    // With an output directory the report is saved, and the response names it.
    #expect(profiled.headers.first(name: "X-Profile-Report") != nil, "\(profiled.headers)")
    #expect(automatic.status == .ok)
    #expect(automatic.body.map { String(buffer: $0) } == "hello")
    #expect(calls.value.load(ordering: .relaxed) == 2)
    // The automatic profile was taken too: the requested report and the automatic one are
    // saved (any request is slower than zero).
    let saved = try FileManager.default.subpathsOfDirectory(atPath: reports).filter { $0.hasSuffix(".json") || $0.hasSuffix(".html") }
    #expect(saved.count == 2, "\(saved)")
}
#endif
