#if Vapor
import DemoWorkloads
import Foundation
import RequestProfilerHTTP
import RequestProfilerVapor
import Vapor

// `swift run VaporDemo` (PORT, default 8080). See DemoIndex for the routes, the README
// for the PROFILING_* settings.
let processEnvironment = ProcessInfo.processInfo.environment
var environment = try Environment.detect()
try LoggingSystem.bootstrap(from: &environment)
PrometheusExposition.bootstrap()
let app = try await Application.make(environment)
app.http.server.configuration.hostname = processEnvironment["HOST"] ?? "127.0.0.1"
app.http.server.configuration.port = DemoIndex.port(processEnvironment)
// Vapor's own request metrics (`http_requests_total`, on by default), switchable as a yardstick
// for ours in scripts/bench-metrics.sh (REFERENCE=1).
if let frameworkMetrics = DemoSettings.frameworkMetrics(from: processEnvironment) {
    app.http.server.configuration.reportMetrics = frameworkMetrics
}

app.enableRequestProfiling(DemoSettings.load(from: processEnvironment))
let database = try await CatalogDatabase.open()

/// JSON bytes as a response, with its content type.
func jsonResponse(_ data: Data) -> Response {
    Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: data))
}

app.get { _ in DemoIndex.text(framework: "Vapor", port: app.http.server.configuration.port) }
app.get("cpu") { req async -> String in
    let limit = max(0, min(req.query[Int.self, at: "n"] ?? 1_000_000, 5_000_000))
    return "primes below \(limit): \(PrimeCounter.countPrimes(below: limit))\n"
}
app.get("sleep") { req async throws -> String in
    let milliseconds = max(0, min(req.query[Int.self, at: "ms"] ?? 200, 10_000))
    return "slept \(milliseconds) ms, checksum \(try await SimulatedIO.slowDownstreamCall(milliseconds: milliseconds))\n"
}
app.get("json") { req async throws -> Response in
    jsonResponse(try CatalogEncoder.encodeCatalog(count: max(0, min(req.query[Int.self, at: "count"] ?? 10_000, 100_000))))
}
app.get("hello") { _ in "hello\n" }
app.get("fail") { _ -> String in throw DemoFailure() }
app.get("metrics") { _ in
    Response(
        status: .ok, headers: ["Content-Type": PrometheusExposition.contentType],
        body: .init(buffer: ByteBuffer(bytes: PrometheusExposition.text())))
}
app.get("db") { req async throws -> Response in
    jsonResponse(try CatalogEncoder.json(try await database.summarize(nameContaining: req.query[String.self, at: "q"] ?? "item-1")))
}

do {
    try await app.execute()
} catch {
    app.logger.report(error: error)
}
try await database.close()
try await app.asyncShutdown()
#else
print("VaporDemo was built without the Vapor trait; build with the default traits.")
#endif
