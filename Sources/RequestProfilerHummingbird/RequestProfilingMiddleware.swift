#if Hummingbird
import HTTPTypes
import Hummingbird
import Logging
import NIOHTTP1
import RequestProfilerHTTP

/// Hummingbird middleware that profiles a request carrying `?profile=1` (settings and query parameters: README, "Profile a request in Vapor or Hummingbird"),
/// and, when their settings turn them on, measures every request, profiles slow ones
/// automatically and serves the dashboard under its prefix (README, "Request metrics,
/// auto-capture and the dashboard").
///
/// ```swift
/// let router = Router()
/// let profiling = try RequestProfilingMiddleware<BasicRequestContext>(environment: ProcessInfo.processInfo.environment)
/// router.add(middleware: profiling)
/// let app = Application(router: router, services: [profiling.metricsService])  // drains metrics on shutdown
/// ```
/// Add it before the routes (Hummingbird bakes middleware in when a route is added). Hummingbird
/// runs the handler inline in this middleware's task, so running `next` in the profiling
/// session pins the handler, and the middleware after this one, to the sampled thread.
///
/// With metrics, dashboard and auto-capture off, an unprofiled request costs a flag check and
/// a scan of the query string.
public struct RequestProfilingMiddleware<Context: RequestContext>: RouterMiddleware {
    public let core: RequestProfilingCore

    public init(core: RequestProfilingCore) {
        self.core = core
    }

    /// Add it to `Application(services:)`: on graceful shutdown it drains the metrics
    /// collector, so that the last events reach their exporters.
    public var metricsService: MetricsDrainService {
        MetricsDrainService(core: core)
    }

    public init(_ settings: ProfilingSettings, logger: Logger = Logger(label: "request-profiler")) {
        self.init(core: RequestProfilingCore(settings: settings, logger: logger))
    }

    /// Settings from `PROFILING_*` variables; throws a ``ProfilingSettingsError`` naming a bad one.
    public init(environment: [String: String], logger: Logger = Logger(label: "request-profiler")) throws {
        self.init(try ProfilingSettings(environment: environment), logger: logger)
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard core.needsCore(rawQuery: request.uri.query) else {
            return try await next(request, context)
        }
        // The route Hummingbird matched, read from the context's endpoint path when asked.
        let routeSource = EndpointRouteSource(endpointPath: context.coreContext.endpointPath)
        // The handler's response, kept for its body to be written when a report replaces it.
        var handlerResponse: Response?
        let outcome = try await core.handle(
            rawQuery: request.uri.query,
            header: { name in HeaderFieldName.named(name).flatMap { request.headers[$0] } },
            method: request.method.rawValue,
            path: request.uri.path,
            route: { routeSource.matchedRoute },
            routeSource: routeSource,
            status: { (result: Result<Response, any Error>) -> Int in
                switch result {
                case .success(let response): response.status.code
                case .failure(let error as any HTTPResponseError): error.status.code
                // A malformed request (a body cut short, a bad chunk size) read by the handler:
                // Hummingbird answers 400 and closes the connection. Counted as a 500 it made
                // any client able to raise the server's error rate.
                case .failure(is HTTPParserError): 400
                case .failure: 500
                }
            },
            requestBytes: { request.headers[.contentLength].flatMap { Int($0) } },
            responseBytes: { response in response.body.contentLength },
            // Errors are rethrown as they came (see HeaderCarryingError): the status closure
            // above gives their status to the metrics and the report.
            next: {
                let response = try await next(request, context)
                handlerResponse = response
                return response
            }
        )
        switch outcome {
        case .original(let result, let headers):
            let fields = Self.fields(headers)
            switch result {
            case .success(var response):
                for field in fields { response.headers[field.name] = field.value }
                return response
            case .failure(let error as any HTTPResponseError) where !fields.isEmpty:
                throw HeaderCarryingError(wrapped: error, headers: fields)
            case .failure(let error):
                throw error
            }
        case .replaced(let replacement):
            let report = ByteBuffer(bytes: replacement.body)
            let response = Response(
                status: HTTPResponse.Status(code: replacement.status),
                headers: Self.fields(replacement.headers),
                body: handlerResponse.map { DiscardedResponseBody.reportBody(report, replacing: $0.body) }
                    ?? ResponseBody(byteBuffer: report))
            // Hummingbird empties a HEAD answer's body only on the routes it makes HEAD for;
            // the dashboard's answers and a report come from here, and their bytes went on the
            // wire, where a keep-alive client read them as the start of the next response.
            // The headers stay those of a GET, Content-Length included. (The handler's dropped
            // body is then not written, as Hummingbird writes none of a HEAD answer's.)
            return request.method == .head ? response.createHeadResponse() : response
        }
    }

    /// The core's headers as Hummingbird's fields (a name HTTP does not allow is left out).
    private static func fields(_ headers: [HTTPHeaderField]) -> HTTPFields {
        var fields = HTTPFields()
        for field in headers {
            guard let name = HTTPField.Name(field.name) else { continue }
            fields[name] = field.value
        }
        return fields
    }
}
#endif
