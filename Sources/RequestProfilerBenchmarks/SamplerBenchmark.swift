@_spi(Benchmarking) import RequestProfiler
#if canImport(Glibc)
import Glibc
#endif

/// Capture cost per sample and the overhead a profiled CPU-bound workload pays, measured in
/// one run against the same workload unprofiled (these machines are shared: only ratios
/// measured side by side mean anything).
enum SamplerBenchmark {
    /// A fixed amount of CPU work (not time-based: the sampler's cost must show as more time).
    @inline(never)
    static func cpuBoundWork(iterations: Int) -> UInt64 {
        var x: UInt64 = 0x243F6A8885A308D3
        var sum: UInt64 = 0
        for i in 0..<iterations {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            sum &+= x &* UInt64(truncatingIfNeeded: i)
        }
        return sum
    }

    static func threadCPU() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// CPU time of the workload on a dedicated thread, unprofiled (a session with the longest
    /// interval still pins it to an identical thread, so only the sampling rate differs).
    static func measure(iterations: Int, interval: Duration?, snapshots: Bool = true) async throws -> (cpu: UInt64, session: ProfilingSession?) {
        let profiler = Profiler(configuration: .init(interval: interval ?? .milliseconds(100), unwindsWithLibunwind: snapshots))
        let session = try profiler.start()
        let cpu = await session.run {
            let start = threadCPU()
            let value = cpuBoundWork(iterations: iterations)
            let used = threadCPU() - start
            if value == 42 { print("") }  // keeps `value` alive
            return used
        }
        _ = await session.stop()
        return (cpu, interval == nil ? nil : session)
    }

    static func run() async throws -> [(name: String, value: String)] {
        // Calibrate to about 0.5 s of CPU per trial.
        var iterations = 10_000_000
        let probe = try await measure(iterations: iterations, interval: nil).cpu
        iterations = Int(Double(iterations) * 500_000_000 / Double(max(probe, 1)))

        var rows: [(name: String, value: String)] = []
        var costs: [UInt32] = []
        for interval in [Duration.milliseconds(1), .microseconds(100)] {
            // Alternate unprofiled and profiled runs and take the median of the pairs' ratios:
            // drift in the machine's load hits both runs of a pair alike.
            var ratios: [Double] = []
            for _ in 0..<9 {
                let baseline = try await measure(iterations: iterations, interval: nil).cpu
                let (cpu, session) = try await measure(iterations: iterations, interval: interval)
                ratios.append(Double(cpu) / Double(max(baseline, 1)))
                if interval == .milliseconds(1), let diagnostics = session?.diagnostics {
                    costs.append(contentsOf: diagnostics.captureCostsNanoseconds)
                }
            }
            ratios.sort()
            let label = interval == .milliseconds(1) ? "1 ms" : "0.1 ms"
            rows.append(("overhead at \(label) (profiled/unprofiled CPU, median of 9 pairs)", formatRatio(ratios[4])))
        }
        costs.sort()
        rows.insert(("capture cost p50 (handler, 1 ms, CPU-bound)", "\(percentile(costs, 50)) ns"), at: 0)
        rows.insert(("capture cost p99", "\(percentile(costs, 99)) ns"), at: 1)
        return rows
    }
}
