#if Vapor
import RequestMetrics
import RequestProfiler
import RequestProfilerHTTP
import Vapor

/// Vapor middleware that profiles a request carrying `?profile=1` (settings and query parameters: README, "Profile a request in Vapor or Hummingbird").
///
/// Install it with ``Vapor/Application/enableRequestProfiling(_:logger:)``, which also wraps the
/// route responders at boot: Vapor runs async handlers in a `Task {}` of their own, outside
/// this middleware's task, and those wrappers bring them back onto the sampled thread.
///
/// When their settings turn them on it also measures every request, profiles slow ones
/// automatically and serves the dashboard under its prefix (README, "Request metrics,
/// auto-capture and the dashboard"). With those off, an unprofiled request costs a flag check
/// and a scan of the query string, and the rest of the chain is called as Vapor would call it,
/// on the event loop: an `AsyncMiddleware` would start a task for every request and run the
/// middleware after it (`ErrorMiddleware`, the app's own) on a concurrency-pool thread, where a
/// synchronous middleware that checks its loop (`NIOLoopBound`) traps. A measured request's
/// chain is called on the event loop too; only a profiled one's runs on the sampled thread.
public struct RequestProfilingMiddleware: Middleware {
    public let core: RequestProfilingCore
    private let routeTemplates = RouteTemplateCache()

    public init(core: RequestProfilingCore) {
        self.core = core
    }

    public func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        // The query and the path are read lazily (Vapor builds each through Foundation's
        // URLComponents on every read), the route template once per request.
        guard core.needsCore(rawQuery: request.url.query) else {
            return next.respond(to: request)
        }
        // A request that is only measured is measured in the future chain, on the event loop:
        // the task `handle` needs cost a Vapor `/hello` about 14 µs, ten times the measuring.
        // With auto-capture on, the draw is made here too, so only the drawn requests make one.
        let route = request.route.map(routeTemplates.template(of:))
        let automatic: AutomaticProfileStart?
        switch core.startInFutureChain(
            rawQuery: request.url.query, header: { request.headers.first(name: $0) }, method: request.method.rawValue,
            path: request.url.path, route: { route })
        {
        case .unmeasured?:
            return next.respond(to: request)
        case .measured(let measurement)?:
            let response = RequestTrace.$current.withValue(measurement.traceContext(route: route)) {
                RequestContextKey.keep(in: request)
                return next.respond(to: request)
            }
            return response.always { [core] result in
                RequestContextKey.clear(in: request)
                core.finishMeasured(
                    measurement, result: result, route: { route }, status: Self.status(of:),
                    requestBytes: { Self.requestBytes(of: request) }, responseBytes: Self.responseBytes(of:),
                    thrownError: { request.storage[HandlerErrorKey.self] })
            }
        case .automatic(let start)?:
            automatic = start
        case nil:
            automatic = nil
        }
        let promise = request.eventLoop.makePromise(of: Response.self)
        promise.completeWithTask { try await respondThroughCore(to: request, route: route, automatic: automatic, chainingTo: next) }
        return promise.futureResult
    }

    private static func status(of result: Result<Response, any Error>) -> Int {
        switch result {
        case .success(let response): Int(response.status.code)
        case .failure(let error as any AbortError): Int(error.status.code)
        case .failure: 500
        }
    }

    /// The body is only known after the handler collected it; GET and streamed bodies have none.
    private static func requestBytes(of request: Request) -> Int? {
        request.body.data?.readableBytes ?? request.headers.first(name: .contentLength).flatMap { Int($0) }
    }

    private static func responseBytes(of response: Response) -> Int? {
        response.body.count >= 0 ? response.body.count : nil
    }

    /// A request the core handles: measured, profiled or the dashboard's; `automatic` when
    /// ``respond(to:chainingTo:)`` already drew it for auto-capture. `route`: its template, as
    /// ``respond(to:chainingTo:)`` read it (Vapor matched the route before any middleware ran).
    private func respondThroughCore(
        to request: Request, route: String?, automatic: AutomaticProfileStart?, chainingTo next: any Responder
    ) async throws -> Response {
        let chain: () async throws -> Response = {
            RequestContextKey.keep(in: request)
            // Let go once the route has answered: a request held on (a streamed body, a
            // WebSocket) must not keep the session, its executor and its profile alive.
            defer { RequestContextKey.forget(in: request) }
            // A profiled request runs the chain here, on the sampled thread. A measured one
            // runs it where Vapor would, on the event loop, with its trace bound there: on
            // this task's pool thread, a synchronous middleware that checks its loop
            // (`NIOLoopBound`) trapped once metrics were on.
            guard ProfilingSession.current == nil, !request.eventLoop.inEventLoop else {
                return try await next.respond(to: request).get()
            }
            let trace = RequestTrace.current
            return try await request.eventLoop.flatSubmit {
                RequestTrace.$current.withValue(trace) { next.respond(to: request) }
            }.get()
        }
        let outcome: ProfilingOutcome<Response>
        if let automatic {
            outcome = await core.handle(
                automatic: automatic, path: request.url.path, route: { route },
                status: Self.status(of:), requestBytes: { Self.requestBytes(of: request) },
                responseBytes: Self.responseBytes(of:), thrownError: { request.storage[HandlerErrorKey.self] },
                next: chain)
        } else {
            outcome = try await core.handle(
                rawQuery: request.url.query,
                header: { name in
                    // HTTP/2 clients send each cookie as its own field; the dashboard's cookie may be any of them.
                    guard name == "Cookie" else { return request.headers.first(name: name) }
                    let cookies = request.headers[name]
                    return cookies.isEmpty ? nil : cookies.joined(separator: "; ")
                },
                method: request.method.rawValue,
                path: request.url.path,
                route: { route },
                status: Self.status(of:),
                requestBytes: { Self.requestBytes(of: request) },
                responseBytes: Self.responseBytes(of:),
                thrownError: { request.storage[HandlerErrorKey.self] },
                next: chain)
        }
        switch outcome {
        case .original(let result, let headers):
            let response = try result.get()
            for field in headers { response.headers.replaceOrAdd(name: field.name, value: field.value) }
            return response
        case .replaced(let replacement):
            var headers = HTTPHeaders()
            for field in replacement.headers { headers.replaceOrAdd(name: field.name, value: field.value) }
            return Response(
                status: HTTPResponseStatus(statusCode: replacement.status),
                headers: headers,
                body: .init(buffer: ByteBuffer(bytes: replacement.body)))
        }
    }
}
#endif
