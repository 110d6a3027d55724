import Testing
@testable import RequestProfiler

struct CPUTimeAttributionTests {
    private func sample(at wall: UInt64, cpu: UInt64? = nil, syscall: Bool = false, idle: Bool = false) -> RawSample {
        RawSample(wallNanoseconds: wall, cpuNanoseconds: cpu, inSyscall: syscall, isIdle: idle, overrun: 0, lookupAddresses: [1])
    }

    @Test func cpuBetweenReadingsGoesToTheSamplesThatWereRunning() {
        // Window 1 (start..t=4): 4 ms wall, 2 ms CPU; the two syscall samples were blocked.
        // Window 2 (t=4..stop): 2 ms wall, 2 ms CPU.
        let samples = [
            sample(at: 1_000_000),
            sample(at: 2_000_000, syscall: true),
            sample(at: 3_000_000, syscall: true),
            sample(at: 4_000_000, cpu: 2_000_000),
            sample(at: 5_000_000),
            sample(at: 6_000_000),
        ]
        let weights = CPUTimeAttribution(samples: samples, startWall: 0, startCPU: 0, stopCPU: 4_000_000)
        #expect(weights.wall == [1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000])
        #expect(weights.cpu == [1_000_000, 0, 0, 1_000_000, 1_000_000, 1_000_000])
        #expect(weights.cpu.reduce(0, +) == 4_000_000)
    }

    @Test func runningSamplesShareCPUInProportionToWallTimeButNeverExceedIt() {
        // 3 ms of wall on the CPU but only 1.5 ms of CPU: the thread was also preempted.
        let samples = [sample(at: 1_000_000), sample(at: 3_000_000, cpu: 1_500_000)]
        let weights = CPUTimeAttribution(samples: samples, startWall: 0, startCPU: 0, stopCPU: 1_500_000)
        #expect(weights.cpu == [500_000, 1_000_000])
    }

    @Test func idleSamplesGetNoCPU() {
        let samples = [sample(at: 1_000_000, idle: true), sample(at: 2_000_000, cpu: 900_000)]
        let weights = CPUTimeAttribution(samples: samples, startWall: 0, startCPU: 0, stopCPU: 900_000)
        #expect(weights.cpu == [0, 900_000])
    }

    /// Idle samples are flagged in a system call too (the thread waits in a futex): a window of
    /// idle samples closed by a blocked one gave most of its CPU to the `[await]`s.
    @Test func cpuInAWindowWithoutRunningSamplesIsNeverGivenToIdleOnes() {
        let samples = [
            sample(at: 1_000_000, syscall: true, idle: true),
            sample(at: 2_000_000, syscall: true, idle: true),
            sample(at: 3_000_000, syscall: true, idle: true),
            sample(at: 4_000_000, cpu: 400_000, syscall: true),
        ]
        let weights = CPUTimeAttribution(samples: samples, startWall: 0, startCPU: 0, stopCPU: 400_000)
        #expect(weights.cpu == [0, 0, 0, 400_000])
        // A window of idle samples alone (the clock read at every tick): its CPU is not lost.
        let idleOnly = [
            sample(at: 1_000_000, cpu: 300_000, syscall: true, idle: true),
            sample(at: 2_000_000, cpu: 600_000),
        ]
        let kept = CPUTimeAttribution(samples: idleOnly, startWall: 0, startCPU: 0, stopCPU: 600_000)
        #expect(kept.cpu == [300_000, 300_000])
    }

    @Test func cpuInAWindowWithoutRunningSamplesIsSharedByAll() {
        let samples = [sample(at: 1_000_000, syscall: true), sample(at: 2_000_000, cpu: 200_000, syscall: true)]
        let weights = CPUTimeAttribution(samples: samples, startWall: 0, startCPU: 0, stopCPU: 200_000)
        #expect(weights.cpu == [100_000, 100_000])
    }
}
