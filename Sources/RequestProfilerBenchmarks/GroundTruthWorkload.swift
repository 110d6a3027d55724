/// A workload whose true profile is known: three functions doing the same CPU work in fixed
/// amounts in the ratio 50:30:20, interleaved over several rounds, and one awaited sleep in
/// the middle. The work is a fixed number of calls (not "spin for N ms"), so a profiler's
/// overhead shows as more CPU time; each call's thread CPU time is measured around it, so the
/// truth is what really ran on this machine, not what was asked for.
///
/// `scripts/compare-pyinstrument.sh` runs the same workload written in Python.
struct GroundTruthWorkload: Sendable {
    /// The three CPU functions in the order their shares are reported.
    static let functions = ["groundTruthFifty", "groundTruthThirty", "groundTruthTwenty"]
    /// Their intended shares of the CPU work.
    static let intendedShares = [0.5, 0.3, 0.2]

    /// Calls of the step function per 10% of one round.
    var unitSteps: Int
    var rounds = 10
    var sleep: Duration = .milliseconds(200)

    /// What one run measured.
    struct Truth: Sendable {
        /// Thread CPU nanoseconds spent in each of ``functions``.
        var cpuNanoseconds: [UInt64]
        /// Wall nanoseconds the awaited sleep took.
        var sleptNanoseconds: UInt64
        /// Wall nanoseconds of the whole run.
        var wallNanoseconds: UInt64

        var totalCPUNanoseconds: UInt64 { cpuNanoseconds.reduce(0, +) }
        var shares: [Double] { cpuNanoseconds.map { Double($0) / Double(max(totalCPUNanoseconds, 1)) } }
    }

    /// Picks `unitSteps` so that one run does about `cpu` of CPU work (plus the sleep).
    static func calibrated(cpu: Duration) async -> GroundTruthWorkload {
        let probe = await GroundTruthWorkload(unitSteps: 20_000, rounds: 1, sleep: .zero).run()
        let perUnit = Double(probe.totalCPUNanoseconds) / 10 / 20_000
        let target = Double(cpu.components.seconds) * 1e9 + Double(cpu.components.attoseconds) / 1e9
        return GroundTruthWorkload(unitSteps: max(Int(target / 100 / perUnit), 1))
    }

    func run() async -> Truth {
        var cpu: [UInt64] = [0, 0, 0]
        var slept: UInt64 = 0
        var checksum: UInt64 = 0
        let clock = ContinuousClock()
        let start = clock.now
        for round in 0..<rounds {
            if round == rounds / 2, sleep > .zero { slept = await groundTruthWait(sleep) }
            checksum &+= measured(&cpu[0]) { groundTruthFifty(unitSteps) }
            checksum &+= measured(&cpu[1]) { groundTruthThirty(unitSteps) }
            checksum &+= measured(&cpu[2]) { groundTruthTwenty(unitSteps) }
        }
        if checksum == 42 { print("") }  // keeps the work from being optimized away
        let wall = start.duration(to: clock.now)
        return Truth(cpuNanoseconds: cpu, sleptNanoseconds: slept, wallNanoseconds: Self.nanoseconds(wall))
    }

    private func measured(_ total: inout UInt64, _ work: () -> UInt64) -> UInt64 {
        let start = SamplerBenchmark.threadCPU()
        let value = work()
        total += SamplerBenchmark.threadCPU() - start
        return value
    }

    static func nanoseconds(_ duration: Duration) -> UInt64 {
        UInt64(duration.components.seconds) * 1_000_000_000 + UInt64(duration.components.attoseconds / 1_000_000_000)
    }
}

// The workload's functions. `@inline(never)` keeps each a real frame in a release build; each
// step is a call of its own, as in the Python version.

@inline(never) func groundTruthStep(_ x: UInt64) -> UInt64 {
    var y = x ^ (x << 13)
    y ^= y >> 7
    return y ^ (y << 17)
}

/// Written by every batch of steps: a side effect the optimizer cannot move past the clock
/// readings around a call (a pure computation could be moved after them, measuring nothing).
nonisolated(unsafe) var groundTruthSink: UInt64 = 0

/// Inlined into each share function, so the step calls come from that function's own frame
/// (a plain call would be a tail call, and the function would vanish from the stack).
@inline(__always) func groundTruthSteps(_ count: Int) -> UInt64 {
    var x: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ groundTruthSink
    for _ in 0..<count { x = groundTruthStep(x) }
    groundTruthSink = x
    return x
}

@inline(never) func groundTruthFifty(_ unit: Int) -> UInt64 { groundTruthSteps(5 * unit) }
@inline(never) func groundTruthThirty(_ unit: Int) -> UInt64 { groundTruthSteps(3 * unit) }
@inline(never) func groundTruthTwenty(_ unit: Int) -> UInt64 { groundTruthSteps(2 * unit) }

/// Awaits a sleep standing in for a slow downstream call; returns its measured wall time.
@inline(never) func groundTruthWait(_ duration: Duration) async -> UInt64 {
    let clock = ContinuousClock()
    let start = clock.now
    try? await Task.sleep(for: duration)
    return GroundTruthWorkload.nanoseconds(start.duration(to: clock.now))
}
