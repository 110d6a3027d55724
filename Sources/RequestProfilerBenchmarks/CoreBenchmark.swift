import Foundation
import Logging
import Metrics
import Prometheus
import RequestMetrics
import RequestProfilerHTTP

/// What the framework-neutral middleware (``RequestProfilingCore``) costs per request of a
/// trivial handler, the way an adapter drives it (`needsCore`, then `handle`), without any
/// HTTP server: (a) everything off, (b) metrics at 100% with JSONL and swift-metrics into
/// swift-prometheus, (c) the same plus auto-capture at rate 0.01 whose fast requests are
/// dropped. CPU is the whole process's (collector thread and exporters included), amortized
/// over N requests and measured until the collector has drained.
///
/// `--core-only` runs just this (a few seconds), for finding what the integration adds on
/// top of the metrics library itself (`--metrics-only`). `--core-mode=metrics` (or `off`,
/// `auto`) runs one mode alone, for `perf record`.
enum CoreBenchmark {
    static let requests = 200_000
    static let prometheus = PrometheusMetricsFactory()
    nonisolated(unsafe) static var bootstrapped = false

    enum Mode: String, CaseIterable {
        case off = "everything off"
        case metrics = "metrics 100% + JSONL + Prometheus"
        case auto = "metrics + auto-capture 0.01 (fast dropped)"
    }

    static func run() async throws -> [(name: String, value: String)] {
        if !bootstrapped {
            MetricsSystem.bootstrap(prometheus)
            bootstrapped = true
        }
        let chosen = CommandLine.arguments.lazy.compactMap { argument in
            argument.hasPrefix("--core-mode=") ? Mode.allCases.first { "\($0)" == argument.dropFirst(12) } : nil
        }.first
        let modes = chosen.map { [$0] } ?? Mode.allCases
        var trials: [Mode: [Double]] = [:]
        for _ in 0..<5 {
            for mode in modes { trials[mode, default: []].append(try await trial(mode)) }
        }
        return modes.map { mode in
            ("core, \(mode.rawValue): CPU per request", MetricsBenchmark.perRequest(trials[mode]!.sorted()[2]))
        }
    }

    static func trial(_ mode: Mode) async throws -> Double {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("core-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let metricsOn = mode != .off
        let settings = ProfilingSettings(
            outputDirectory: directory + "/reports",
            metrics: MetricsSettings(isEnabled: metricsOn, sampleRate: 1, directory: metricsOn ? directory + "/events" : nil),
            autoCapture: AutoCaptureSettings(rate: mode == .auto ? 0.01 : 0, slowerThan: .seconds(1)))
        let core = RequestProfilingCore(settings: settings, logger: Logger(label: "benchmark"))
        let cpuStart = MetricsBenchmark.processCPUNanoseconds()
        for index in 0..<requests {
            let query: String? = index % 2 == 0 ? nil : "q=1"
            if core.needsCore(rawQuery: query) {
                _ = try await core.handle(
                    rawQuery: query, header: { _ in nil }, method: "GET", path: "/hello", route: { "/hello" },
                    status: { (_: Result<Int, any Error>) in 200 }, requestBytes: { nil }, responseBytes: { _ in 5 },
                    next: { try await handler(index) })
            } else {
                _ = try await handler(index)
            }
        }
        await core.shutdown()
        return Double(MetricsBenchmark.processCPUNanoseconds() - cpuStart) / Double(requests)
    }

    @inline(never)
    static func handler(_ index: Int) async throws -> Int { index &+ 1 }
}
