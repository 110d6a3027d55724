#if Vapor
import Foundation
import ProfilingScenarios
import RequestMetrics
import RequestProfilerHTTP
@testable import RequestProfilerVapor
import Testing
import Vapor

/// A synchronous middleware that calls the rest of the chain from a future callback, as
/// Vapor's own `SessionsMiddleware` (with a session cookie) and `RequestAuthenticator` do: NIO
/// runs that callback on the event loop, where the request's task-locals (its profiling
/// session, its metrics trace) are not set.
struct FutureHopMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        request.eventLoop.makeSucceededVoidFuture().flatMap { next.respond(to: request) }
    }
}

@Suite("Vapor: middleware that calls next from a future callback", .serialized)
struct VaporFutureMiddlewareTests {
    private func withServer(
        _ settings: ProfilingSettings, configure: (Application) -> Void, _ body: (Int) async throws -> Void
    ) async throws {
        let app = try await Application.make(.testing)
        app.enableRequestProfiling(settings)
        configure(app)
        try await app.asyncBoot()
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        do {
            try await body(try #require(app.http.server.shared.localAddress?.port))
        } catch {
            await app.server.shutdown()
            try await app.asyncShutdown()
            throw error
        }
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    private func get(_ port: Int, _ pathAndQuery: String) async throws -> (HTTPStatus, String) {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let response: HTTPClient.Response
        do {
            response = try await client.get(url: "http://127.0.0.1:\(port)/\(pathAndQuery)").get()
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return (response.status, response.body.map { String(buffer: $0) } ?? "")
    }

    /// The handler's frames were missing from the report: its session was read when the
    /// middleware called next, on the event loop, where it is not set.
    @Test("a route-group middleware's hop keeps the handler in the profile", arguments: ["group", "global"])
    func handlerStaysInTheProfile(placement: String) async throws {
        try await withServer(ProfilingSettings(isEnabled: true)) { app in
            let routes: any RoutesBuilder = placement == "group" ? app.grouped(FutureHopMiddleware()) : app
            if placement == "global" { app.middleware.use(FutureHopMiddleware()) }
            routes.get("work") { _ -> String in "\(syncHandlerWork())" }
        } _: { port in
            let (status, report) = try await get(port, "work?profile=1&profile_format=collapsed")
            #expect(status == .ok)
            #expect(report.contains("syncHandlerWork"), "the handler is missing from the profile:\n\(report.prefix(2_000))")
        }
    }

    /// Behind such a middleware a synchronous handler's span lost its request (no trace).
    @Test("a span in a handler behind the hop belongs to its request", arguments: ["group", "global"], [false, true])
    func spanKeepsItsRequest(placement: String, asyncHandler: Bool) async throws {
        let events = FileManager.default.temporaryDirectory.appendingPathComponent("rp-hop-span-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: events) }
        try await withServer(ProfilingSettings(metrics: MetricsSettings(isEnabled: true, directory: events))) { app in
            let routes: any RoutesBuilder = placement == "group" ? app.grouped(FutureHopMiddleware()) : app
            if placement == "global" { app.middleware.use(FutureHopMiddleware()) }
            if asyncHandler {
                routes.get("sync") { _ async -> String in
                    await Task.yield()
                    return RequestMetricsAPI.span("render") { "rendered" }
                }
            } else {
                routes.get("sync") { _ -> String in RequestMetricsAPI.span("render") { "rendered" } }
            }
        } _: { port in
            let (status, body) = try await get(port, "sync")
            #expect(status == .ok)
            #expect(body == "rendered")
        }
        let lines = try EventLines(folder: events)
        let traceID = try EventLines.id("trace_id", of: try lines.first(kind: "REQ", ["route": "/sync"]))
        let span = try lines.first(kind: "SPAN")
        #expect(try EventLines.id("trace_id", of: span) == traceID)
    }

    /// Vapor runs a synchronous handler of a request without a body on the event loop; turning
    /// metrics on moved it to a concurrency-pool thread, where a handler that checks its loop
    /// (`preconditionInEventLoop`, `NIOLoopBound`) traps.
    @Test("with metrics on, a synchronous handler still runs on its event loop", arguments: [false, true])
    func synchronousHandlerStaysOnItsEventLoop(behindHop: Bool) async throws {
        try await withServer(ProfilingSettings(isEnabled: true, metrics: MetricsSettings(isEnabled: true))) { app in
            let routes: any RoutesBuilder = behindHop ? app.grouped(FutureHopMiddleware()) : app
            routes.get("loop") { request -> String in
                RequestMetricsAPI.span("check") { request.eventLoop.inEventLoop ? "on" : "off" }
            }
        } _: { port in
            let (status, body) = try await get(port, "loop")
            #expect(status == .ok)
            #expect(body == "on", "the handler ran off its event loop")
        }
    }

    /// A bodiless request that names a content type, to a synchronous handler that decodes it:
    /// Vapor answers 422 for the missing body. With metrics on it was given an empty body,
    /// which failed to decode: 400.
    @Test("with metrics on, a missing body to decode is still a 422")
    func missingBodyKeepsItsStatus() async throws {
        try await withServer(ProfilingSettings(metrics: MetricsSettings(isEnabled: true))) { app in
            app.delete("items") { request -> String in
                let item = try request.content.decode(Item.self)
                return item.name
            }
        } _: { port in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let request = try HTTPClient.Request(
                url: "http://127.0.0.1:\(port)/items", method: .DELETE, headers: ["Content-Type": "application/json"])
            let response: HTTPClient.Response
            do {
                response = try await client.execute(request: request).get()
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
            #expect(response.status == .unprocessableEntity)
        }
    }

    /// The profiler's middleware was an `AsyncMiddleware`, which Vapor runs in a task of its
    /// own: every middleware after it (ErrorMiddleware, the app's) ran on a concurrency-pool
    /// thread, where one that checks its loop traps; with everything off, and with metrics on
    /// for every measured request.
    @Test("the middleware after the profiler's runs on its event loop", arguments: [false, true])
    func laterMiddlewareStaysOnItsEventLoop(measured: Bool) async throws {
        try await withServer(measured ? ProfilingSettings(metrics: MetricsSettings(isEnabled: true)) : ProfilingSettings()) { app in
            app.middleware.use(LoopReportingMiddleware())
            app.get("loop") { _ in "ok" }
        } _: { port in
            let (status, body) = try await get(port, "loop")
            #expect(status == .ok)
            #expect(body == "middleware on its loop: true", "the middleware after the profiler's ran off its event loop")
        }
    }
}

private struct Item: Content {
    var name: String
}

/// A synchronous middleware that answers whether it was called on its request's event loop.
private struct LoopReportingMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let onLoop = request.eventLoop.inEventLoop
        return next.respond(to: request).map { _ in Response(status: .ok, body: .init(string: "middleware on its loop: \(onLoop)")) }
    }
}
#endif

#if Vapor
/// Which requests are taken to have no body (and get an empty collected one, so that a
/// synchronous handler runs at once): over HTTP/2 a body may come without any length header.
@Suite("Vapor: marking a bodiless request")
struct EmptyBodyCollectorTests {
    private func isMarked(_ method: HTTPMethod, version: HTTPVersion, headers: HTTPHeaders = [:]) async throws -> Bool {
        let app = try await Application.make(.testing)
        let request = Request(
            application: app, method: method, url: "/x", version: version, headersNoUpdate: headers,
            on: app.eventLoopGroup.next())
        EmptyBodyCollector.collectIfBodiless(request)
        let marked = request.body.data != nil
        try await app.asyncShutdown()
        return marked
    }

    @Test func http1RequestsWithoutLengthHeadersAreBodiless() async throws {
        #expect(try await isMarked(.GET, version: .http1_1))
        #expect(try await isMarked(.DELETE, version: .http1_1))
        #expect(try await !isMarked(.POST, version: .http1_1, headers: ["Content-Length": "3"]))
        #expect(try await !isMarked(.POST, version: .http1_1, headers: ["Transfer-Encoding": "chunked"]))
        #expect(try await !isMarked(.DELETE, version: .http1_1, headers: ["Content-Type": "application/json"]))
        #expect(try await isMarked(.GET, version: .http1_1, headers: ["Content-Type": "application/json"]), "a GET has no body to decode")
    }

    @Test func overHTTP2OnlyGETAndHEADAreTakenForBodiless() async throws {
        let http2 = HTTPVersion(major: 2, minor: 0)
        #expect(try await isMarked(.GET, version: http2))
        #expect(try await isMarked(.HEAD, version: http2))
        #expect(try await !isMarked(.DELETE, version: http2), "a DELETE may stream a body in DATA frames without a length")
        #expect(try await !isMarked(.PATCH, version: http2))
    }
}
#endif
