#if Vapor
import Foundation
import RequestProfilerHTTP
import RequestProfilerVapor
import Vapor
import VaporTesting

/// Routes covering each kind of Vapor handler: async, sync, EventLoopFuture, async after an
/// await, behind an async route-group middleware, and two for the concurrency case.
struct TestRoutes: Sendable {
    let betaStarted = Flag()
    let alphaDone = Flag()
    let gateEntered = Flag()
    let gateOpen = Flag()

    func register(on app: Application) {
        app.get("plain") { _ in "plain body" }
        app.get("users", ":id") { req in "user \(req.parameters.get("id") ?? "")" }
        app.get("files", "**") { req in "file \(req.parameters.getCatchall().joined(separator: "/"))" }
        app.get("async") { _ async -> String in "async \(alphaHandlerWork())" }
        app.get("sync") { _ -> String in "sync \(syncHandlerWork())" }
        app.get("future") { req -> EventLoopFuture<String> in
            req.eventLoop.makeSucceededFuture("future \(futureHandlerWork())")
        }
        app.get("after-await") { _ async throws -> String in
            try await Task.sleep(for: .milliseconds(5))
            return "after \(afterAwaitWork())"
        }
        app.grouped(BusyAsyncMiddleware()).get("grouped") { _ async throws -> String in
            try await Task.sleep(for: .milliseconds(1))
            return "grouped \(afterAwaitWork())"
        }
        app.get("fails") { _ async throws -> String in throw Abort(.imATeapot) }
        app.get("alpha") { _ async -> String in
            defer { alphaDone.set() }
            return "alpha \(alphaHandlerWork())"
        }
        app.get("gate") { _ async throws -> String in
            gateEntered.set()
            try await gateOpen.wait()
            return "through the gate"
        }
        app.get("beta") { _ async -> String in
            betaStarted.set()
            return "beta \(betaHandlerWork(until: alphaDone))"
        }
    }
}

/// A route-group middleware that works before and after an await.
struct BusyAsyncMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        try await Task.sleep(for: .milliseconds(1))
        _ = groupMiddlewareWork()
        return try await next.respond(to: request)
    }
}

/// Runs `body` with an app that has profiling installed with `settings` and the test routes.
func withProfiledApp(
    _ settings: ProfilingSettings, routes: TestRoutes = TestRoutes(),
    _ body: (Application) async throws -> Void
) async throws {
    try await withApp(configure: { app in
        app.enableRequestProfiling(settings)
        routes.register(on: app)
    }, body)
}

/// Sends a GET through Vapor's in-memory responder (the whole middleware chain, no socket).
func get(_ app: Application, _ path: String, headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
    try await app.testing().performTest(
        request: TestingHTTPRequest(method: .GET, url: URI(string: path), headers: headers, body: ByteBuffer()))
}

extension TestingHTTPResponse {
    var text: String { String(buffer: body) }
}

/// A fresh directory under the system temporary directory.
func temporaryDirectory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("rp-vapor-\(UUID().uuidString)").path
}

let enabled = ProfilingSettings(isEnabled: true)
#endif
