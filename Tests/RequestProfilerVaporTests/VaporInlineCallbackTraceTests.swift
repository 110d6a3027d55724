#if Vapor
import Foundation
import RequestMetrics
import RequestProfilerHTTP
import RequestProfilerVapor
import Synchronization
import Testing
import Vapor

/// The promise `/wait` waits on, once it waits.
private final class Gate: Sendable {
    let promise = Mutex<EventLoopPromise<Void>?>(nil)
}

/// Holds `/wait`'s request in a synchronous middleware until `/release` opens the gate: the
/// pattern of a cache or a connection pool whose waiters a handler's synchronous code wakes.
private struct GateMiddleware: Middleware {
    let gate: Gate

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.url.path == "/wait" else { return next.respond(to: request) }
        let promise = request.eventLoop.makePromise(of: Void.self)
        gate.promise.withLock { $0 = promise }
        return promise.futureResult.flatMap { next.respond(to: request) }
    }
}

/// A span timed in `/wait`'s handler belongs to `/wait`, though the callback that runs its
/// route is run by NIO inline, inside `/release`'s synchronous handler and so inside the scope
/// where `/release`'s trace is bound as a task-local. The route's responder took the
/// task-local first, and `/wait`'s spans were recorded under `/release`'s trace.
@Test func aRouteRunInsideAnotherRequestsCallbackKeepsItsOwnTrace() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rp-inline-trace-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    // One event loop: both requests' callbacks run on it, so a promise completed by one
    // request's handler runs the other's callback inline.
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let app = try await Application.make(.testing, .shared(group))
    app.enableRequestProfiling(ProfilingSettings(metrics: MetricsSettings(isEnabled: true, directory: folder)))
    let gate = Gate()
    app.middleware.use(GateMiddleware(gate: gate))
    app.get("wait") { _ -> String in
        RequestMetricsAPI.span("waited") { "waited" }
    }
    app.get("release") { _ -> String in
        gate.promise.withLock { $0 }?.succeed(())
        return "released"
    }
    try await app.asyncBoot()
    try await app.server.start(address: .hostname("127.0.0.1", port: 0))
    let port = try #require(app.http.server.shared.localAddress?.port)
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    let waiting = client.get(url: "http://127.0.0.1:\(port)/wait")
    // `/release` is sent once `/wait` waits at the gate.
    let deadline = ContinuousClock.now + .seconds(30)
    while gate.promise.withLock({ $0 }) == nil && ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(5))
    }
    let released = try await client.get(url: "http://127.0.0.1:\(port)/release").get()
    let waited = try await waiting.get()
    try await client.shutdown()
    try await app.asyncShutdown()
    try await group.shutdownGracefully()
    #expect(released.status == .ok)
    #expect(waited.body.map { String(buffer: $0) } == "waited")

    let events = try EventLines(folder: folder)
    let waitTrace = try EventLines.id("trace_id", of: try events.first(kind: "REQ", ["route": "/wait"]))
    #expect(waitTrace != (try EventLines.id("trace_id", of: try events.first(kind: "REQ", ["route": "/release"]))))
    let span = try events.first(kind: "SPAN", ["name": "waited"])
    #expect(try EventLines.id("trace_id", of: span) == waitTrace, "\(span)")
}
#endif
