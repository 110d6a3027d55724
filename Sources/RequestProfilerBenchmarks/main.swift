// Benchmarks of the request profiler, run in release:
//   swift run -c release request-profiler-benchmarks
// Each number is a ratio or a cost measured side by side in one run: these machines are
// shared and noisy, so absolute timings from separate runs are not compared.
//   swift run -c release request-profiler-benchmarks --compare-workload
// prints the ground-truth workload's figures as JSON for scripts/compare-pyinstrument.sh.
import Foundation
import RequestProfiler
#if canImport(Glibc)
import Glibc
#endif

if CommandLine.arguments.contains("--compare-workload") {
    print(try await CompareWorkload.json())
    exit(0)
}

var table = BenchmarkTable()
// `--metrics-only`: just the request-metrics cost (a few seconds).
if CommandLine.arguments.contains("--metrics-only") {
    table.add(contentsOf: try await runMetricsBenchmark())
    table.add(contentsOf: StatsBenchmark.run())
    print(table.render())
    exit(0)
}
// `--core-only`: what the framework-neutral middleware costs per request (a few seconds).
if CommandLine.arguments.contains("--core-only") {
    table.add(contentsOf: try await CoreBenchmark.run())
    print(table.render())
    exit(0)
}
// `--render-only`: the report renderers (a few seconds).
if CommandLine.arguments.contains("--render-only") {
    table.add(contentsOf: try runRenderBenchmark())
    print(table.render())
    exit(0)
}
// `--symbolizer-only`: symbolizing this executable's addresses, cold and warm (a few seconds).
if CommandLine.arguments.contains("--symbolizer-only") {
    table.add(contentsOf: SymbolizerBenchmark.run())
    print(table.render())
    exit(0)
}
print("running benchmarks (about 30 s)...")
table.add(contentsOf: try await SamplerBenchmark.run())
table.add(contentsOf: SymbolizerBenchmark.run())
table.add(contentsOf: try runRenderBenchmark())
table.add(contentsOf: try await runMiddlewareBenchmark())
table.add(contentsOf: try await runMetricsBenchmark())
table.add(contentsOf: StatsBenchmark.run())
table.add(contentsOf: try await CoreBenchmark.run())
table.add(contentsOf: try await AccuracyBenchmark.run())
print(table.render())
