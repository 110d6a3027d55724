// Benchmarks of the request profiler, run in release:
//   swift run -c release request-profiler-benchmarks
// Each number is a ratio or a cost measured side by side in one run: these machines are
// shared and noisy, so absolute timings from separate runs are not compared.
import Foundation
import RequestProfiler

var table = BenchmarkTable()
// `--metrics-only`: just the request-metrics cost (a few seconds).
if CommandLine.arguments.contains("--metrics-only") {
    table.add(contentsOf: try await runMetricsBenchmark())
    print(table.render())
    exit(0)
}
print("running benchmarks (about 30 s)...")
table.add(contentsOf: try await SamplerBenchmark.run())
table.add(contentsOf: SymbolizerBenchmark.run())
table.add(contentsOf: try runRenderBenchmark())
table.add(contentsOf: try await runMiddlewareBenchmark())
table.add(contentsOf: try await runMetricsBenchmark())
print(table.render())
