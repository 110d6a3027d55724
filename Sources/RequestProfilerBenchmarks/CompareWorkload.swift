/// `request-profiler-benchmarks --compare-workload`: the Swift half of
/// `scripts/compare-pyinstrument.sh`. Runs the ground-truth workload unprofiled and profiled
/// at 1 ms (pyinstrument's default interval), in alternating pairs, and prints one JSON object
/// the script sets beside pyinstrument's figures for the same workload in Python.
enum CompareWorkload {
    static let pairs = 3

    static func json() async throws -> String {
        let workload = await GroundTruthWorkload.calibrated(cpu: .seconds(1))
        _ = await workload.run()  // warm-up
        var runs: [(overhead: Double, unprofiled: UInt64, result: AccuracyBenchmark.Result)] = []
        for _ in 0..<pairs {
            // Unprofiled: the same code on an ordinary task, no sampler anywhere.
            let unprofiled = await workload.run()
            let profiled = try await AccuracyBenchmark.measure(workload)
            let overhead = Double(profiled.truth.totalCPUNanoseconds) / Double(max(unprofiled.totalCPUNanoseconds, 1))
            runs.append((overhead, unprofiled.totalCPUNanoseconds, profiled))
        }
        // The pair with the median overhead stands for the run; drift in the machine's load
        // hits both halves of a pair alike.
        let median = runs.sorted { $0.overhead < $1.overhead }[pairs / 2]
        let result = median.result
        let functions = GroundTruthWorkload.functions.indices.map { index in
            #"{"name": "\#(GroundTruthWorkload.functions[index])", "truth": \#(result.truth.shares[index]), "sampled": \#(result.sampledShares[index])}"#
        }
        return """
        {"tool": "swift-request-profiler", "interval_ms": \(Double(result.intervalNanoseconds) / 1e6), \
        "pairs": \(pairs), "cpu_overhead": \(median.overhead), \
        "unprofiled_cpu_ms": \(Double(median.unprofiled) / 1e6), "profiled_cpu_ms": \(Double(result.truth.totalCPUNanoseconds) / 1e6), \
        "functions": [\(functions.joined(separator: ", "))], "max_error_points": \(result.maxErrorPoints), \
        "wall_ms": \(Double(result.truth.wallNanoseconds) / 1e6), "samples": \(result.sampleCount), "missed_samples": \(result.missedSamples), \
        "wall_time_sampled": \(result.wallTimeSampled), \
        "sleep_ms": \(Double(result.truth.sleptNanoseconds) / 1e6), "sleep_sampled_ms": \(Double(result.sampledSleepNanoseconds) / 1e6)}
        """
    }
}
