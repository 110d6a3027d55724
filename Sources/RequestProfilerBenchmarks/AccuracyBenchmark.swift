import RequestProfiler

/// Profiles the ground-truth workload and compares the profile with what was measured in the
/// same run: each function's share of the sampled CPU time against its share of the measured
/// CPU time, the sleep's sampled waiting time against its measured duration, and how much of
/// the wall time the samples cover.
enum AccuracyBenchmark {
    struct Result {
        var truth: GroundTruthWorkload.Truth
        /// Each function's share of the CPU time sampled in the three functions.
        var sampledShares: [Double]
        /// Wall time of samples under the sleep's function (the await).
        var sampledSleepNanoseconds: UInt64
        var sampleCount: Int
        /// Ticks that came while the thread was not running (timer overruns): a thread waiting
        /// for a CPU cannot be sampled; the next sample's weight covers the gap.
        var missedSamples: Int
        var intervalNanoseconds: UInt64
        /// Sum of all samples' wall weights.
        var sampledWallNanoseconds: UInt64

        /// The largest distance between a sampled share and its truth, in percentage points.
        var maxErrorPoints: Double { zip(sampledShares, truth.shares).map { abs($0 - $1) * 100 }.max() ?? 0 }
        /// Samples taken times the interval, over the run's wall time: the share of the wall
        /// time the profiler looked at (a sampler that skips ticks covers less).
        var wallTimeSampled: Double { Double(sampleCount) * Double(intervalNanoseconds) / Double(max(truth.wallNanoseconds, 1)) }
    }

    static func measure(_ workload: GroundTruthWorkload, interval: Duration = .milliseconds(1)) async throws -> Result {
        let (truth, profile) = try await Profiler(configuration: .init(interval: interval)).profile { await workload.run() }
        func samples(through name: String) -> [Sample] {
            profile.samples.filter { $0.stack.contains { profile.frames[$0].name.contains(name) } }
        }
        let cpu = GroundTruthWorkload.functions.map { name in samples(through: name).reduce(0) { $0 + $1.cpuNanoseconds } }
        let total = Double(max(cpu.reduce(0, +), 1))
        return Result(
            truth: truth,
            sampledShares: cpu.map { Double($0) / total },
            sampledSleepNanoseconds: samples(through: "groundTruthWait").reduce(0) { $0 + $1.wallNanoseconds },
            sampleCount: profile.sampleCount,
            missedSamples: profile.metadata.missedSamples,
            intervalNanoseconds: profile.metadata.intervalNanoseconds,
            sampledWallNanoseconds: profile.totalWallNanoseconds
        )
    }

    static func run() async throws -> [(name: String, value: String)] {
        let workload = await GroundTruthWorkload.calibrated(cpu: .seconds(1))
        let result = try await measure(workload)
        var rows: [(name: String, value: String)] = []
        for (index, name) in GroundTruthWorkload.functions.enumerated() {
            let intended = Int(GroundTruthWorkload.intendedShares[index] * 100)
            rows.append((
                "accuracy: \(name) (\(intended)% of the work), 1 ms",
                "sampled \(percent(result.sampledShares[index])), measured \(percent(result.truth.shares[index]))"
            ))
        }
        rows.append(("accuracy: max share error (sampled vs measured CPU)", "\(rounded(result.maxErrorPoints)) points"))
        rows.append((
            "accuracy: sleep, sampled await / measured",
            formatRatio(Double(result.sampledSleepNanoseconds) / Double(max(result.truth.sleptNanoseconds, 1)))
                + " (\(milliseconds(result.sampledSleepNanoseconds)) of \(milliseconds(result.truth.sleptNanoseconds)))"
        ))
        rows.append(("accuracy: samples x interval / wall time", formatRatio(result.wallTimeSampled)))
        rows.append((
            "accuracy: sampled time (sum of weights) / wall time",
            formatRatio(Double(result.sampledWallNanoseconds) / Double(max(result.truth.wallNanoseconds, 1)))
        ))
        return rows
    }

    static func percent(_ share: Double) -> String { "\(rounded(share * 100))%" }
    static func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}
