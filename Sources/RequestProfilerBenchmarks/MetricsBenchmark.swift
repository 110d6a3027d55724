import Foundation
import Logging
import RequestMetrics

/// What always-on request metrics cost per request at 100% sampling with the JSONL exporter
/// (issue 7's goal: under 2 µs; profilis claims 15 µs): `begin` + `finish` on the calling
/// thread plus the collector thread's encoding and file writes, amortized over N requests and
/// measured until the collector has drained everything to disk.
///
/// Two figures: the process's CPU time (all threads: what metrics take from a server's
/// cores) and the wall time (begin of the first request to the last line written) per
/// request. The queue holds all N events so none are dropped: every request's event is
/// really encoded and written.
func runMetricsBenchmark() async throws -> [(name: String, value: String)] {
    try await MetricsBenchmark.run()
}

enum MetricsBenchmark {
    static let requests = 300_000
    static let routes = ["/users/:id", "/orders/:id", "/health", "/search", "/items/:id/reviews", "/", "/login", "/cart"]

    struct Trial {
        var cpuNanosecondsPerRequest: Double
        var wallNanosecondsPerRequest: Double
        var written: Int
        var dropped: Int
    }

    static func run() async throws -> [(name: String, value: String)] {
        var full: [Trial] = []
        var statsOnly: [Trial] = []
        for _ in 0..<5 {
            full.append(try await trial(sampleRate: 1))
            statsOnly.append(try await trial(sampleRate: 0))
        }
        let median = { (trials: [Trial], key: KeyPath<Trial, Double>) in trials.map { $0[keyPath: key] }.sorted()[2] }
        return [
            ("metrics, 100% + JSONL: CPU per request", perRequest(median(full, \.cpuNanosecondsPerRequest))),
            ("metrics, 100% + JSONL: wall per request", perRequest(median(full, \.wallNanosecondsPerRequest))),
            ("  events written / dropped (last trial)", "\(full.last?.written ?? 0) / \(full.last?.dropped ?? 0)"),
            ("metrics, sampled out (stats only): CPU", perRequest(median(statsOnly, \.cpuNanosecondsPerRequest))),
        ]
    }

    static func trial(sampleRate: Double) async throws -> Trial {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let exporter = JSONLExporter(directory: directory)
        if let failure = exporter.startFailure { throw failure }  // measured without writing, it would read as cheap
        let pipeline = MetricsPipeline(
            configuration: MetricsConfiguration(policy: MetricsPolicy(sampleRate: sampleRate), queueCapacity: requests),
            exporters: [exporter], logger: Logger(label: "benchmark"))
        let paths = routes.map { $0.replacingOccurrences(of: ":id", with: "42") }

        let cpuStart = processCPUNanoseconds()
        let wallStart = ContinuousClock.now
        for index in 0..<requests {
            let route = index % routes.count
            guard let measurement = pipeline.begin(method: "GET", path: paths[route], traceparent: nil) else { continue }
            pipeline.finish(
                measurement, route: routes[route], status: 200, error: nil, bytesIn: 0, bytesOut: 512, profile: nil)
        }
        await pipeline.shutdown()
        let wall = MiddlewareBenchmark.nanoseconds(ContinuousClock.now - wallStart)
        let cpu = Double(processCPUNanoseconds() - cpuStart)

        let written = try FileManager.default.contentsOfDirectory(atPath: directory).reduce(0) { count, file in
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file))
            return count + data.withUnsafeBytes { bytes in bytes.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } }
        }
        return Trial(
            cpuNanosecondsPerRequest: cpu / Double(requests), wallNanosecondsPerRequest: wall / Double(requests),
            written: written, dropped: pipeline.collector.droppedCount)
    }

    /// User + system CPU time of the whole process (every thread), in nanoseconds.
    static func processCPUNanoseconds() -> UInt64 {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = UInt64(usage.ru_utime.tv_sec) * 1_000_000_000 + UInt64(usage.ru_utime.tv_usec) * 1_000
        let system = UInt64(usage.ru_stime.tv_sec) * 1_000_000_000 + UInt64(usage.ru_stime.tv_usec) * 1_000
        return user + system
    }

    static func perRequest(_ nanoseconds: Double) -> String {
        "\((nanoseconds / 10).rounded() / 100) µs/request"
    }
}
