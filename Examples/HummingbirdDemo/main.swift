#if Hummingbird
import DemoWorkloads
import Foundation
import Hummingbird
import RequestProfilerHTTP
import RequestProfilerHummingbird

// `swift run HummingbirdDemo` (PORT, default 8080). See DemoIndex for the routes,
// the README for the PROFILING_* settings.
let processEnvironment = ProcessInfo.processInfo.environment
let port = DemoIndex.port(processEnvironment)
let database = try await CatalogDatabase.open()

/// JSON bytes as a response, with its content type.
func jsonResponse(_ data: Data) -> Response {
    Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

PrometheusExposition.bootstrap()
let router = Router()
if DemoSettings.frameworkMetrics(from: processEnvironment) == true {
    // Hummingbird's own request metrics (`hb.requests`, `http.server.request.duration`), a
    // yardstick for ours in scripts/bench-metrics.sh (REFERENCE=1).
    router.add(middleware: MetricsMiddleware<BasicRequestContext>())
}
let profiling = RequestProfilingMiddleware<BasicRequestContext>(DemoSettings.load(from: processEnvironment))
router.add(middleware: profiling)
router.get("/") { _, _ in DemoIndex.text(framework: "Hummingbird", port: port) }
router.get("cpu") { request, _ async -> String in
    let limit = max(0, min(request.uri.queryParameters.get("n", as: Int.self) ?? 1_000_000, 5_000_000))
    return "primes below \(limit): \(PrimeCounter.countPrimes(below: limit))\n"
}
router.get("sleep") { request, _ async throws -> String in
    let milliseconds = max(0, min(request.uri.queryParameters.get("ms", as: Int.self) ?? 200, 10_000))
    return "slept \(milliseconds) ms, checksum \(try await SimulatedIO.slowDownstreamCall(milliseconds: milliseconds))\n"
}
router.get("json") { request, _ async throws -> Response in
    jsonResponse(try CatalogEncoder.encodeCatalog(count: max(0, min(request.uri.queryParameters.get("count", as: Int.self) ?? 10_000, 100_000))))
}
router.get("hello") { _, _ in "hello\n" }
router.get("fail") { _, _ -> String in throw DemoFailure() }
router.get("metrics") { _, _ in
    Response(
        status: .ok, headers: [.contentType: PrometheusExposition.contentType],
        body: .init(byteBuffer: ByteBuffer(bytes: PrometheusExposition.text())))
}
router.get("db") { request, _ async throws -> Response in
    let fragment = request.uri.queryParameters.get("q") ?? "item-1"
    return jsonResponse(try CatalogEncoder.json(try await database.summarize(nameContaining: fragment)))
}

let app = Application(
    router: router,
    configuration: .init(address: .hostname(processEnvironment["HOST"] ?? "127.0.0.1", port: port)),
    services: [profiling.metricsService])
try await app.runService()
try await database.close()
#else
print("HummingbirdDemo was built without the Hummingbird trait; build with the default traits.")
#endif
