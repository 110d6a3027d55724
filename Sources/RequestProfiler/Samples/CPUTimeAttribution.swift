/// Gives every sample its wall and CPU weight.
///
/// Reading the thread CPU clock is a system call, and a system call inside the signal handler
/// costs about 1 us on these machines: several times everything else a sample costs. So the
/// handler reads it on every `clockReadInterval`-th sample only, and marks each sample that
/// interrupted a system call. Between two clock readings the CPU time consumed is known
/// exactly; it is shared among the window's samples that were on the CPU, in proportion to
/// their wall time (never more than it). Samples inside a system call, or idle in the
/// executor, get none: their time is waiting.
struct CPUTimeAttribution {
    /// Every how many samples the handler reads the CPU clock.
    #if arch(x86_64)
    static let clockReadInterval = 8
    #else
    static let clockReadInterval = 1  // no system-call detection on this architecture yet
    #endif

    /// Wall time since the previous sample (the first: since the start), per sample.
    let wall: [UInt64]
    /// CPU time attributed to each sample.
    let cpu: [UInt64]

    init(samples: [RawSample], startWall: UInt64, startCPU: UInt64, stopCPU: UInt64) {
        var wall = [UInt64](repeating: 0, count: samples.count)
        var previous = startWall
        for (index, sample) in samples.enumerated() {
            wall[index] = sample.wallNanoseconds &- previous
            previous = max(previous, sample.wallNanoseconds)
        }
        var cpu = [UInt64](repeating: 0, count: samples.count)
        var windowStart = 0
        var windowCPU = startCPU
        func close(window range: Range<Int>, endCPU: UInt64) {
            guard !range.isEmpty, endCPU > windowCPU else { return }
            let consumed = endCPU - windowCPU
            let running = range.filter { !samples[$0].isIdle && !samples[$0].inSyscall }
            // Without a running sample the window's system-call samples share it, not its idle
            // ones (flagged in a system call too: the thread waits in a futex), or an `[await]`
            // showed the CPU of the code that ran after the wake-up. A window of idle samples
            // alone (a short job between two ticks, where the clock is read at every tick)
            // still gives them its CPU: it is the request's, and dropped it would be missing
            // from the tree's sum.
            let awake = running.isEmpty ? range.filter { !samples[$0].isIdle } : running
            let sharers = awake.isEmpty ? Array(range) : awake
            let total = sharers.reduce(UInt64(0)) { $0 + wall[$1] }
            guard total > 0 else { return }
            for index in sharers {
                let share = UInt64((Double(consumed) * Double(wall[index]) / Double(total)).rounded())
                cpu[index] = min(share, wall[index])
            }
        }
        for (index, sample) in samples.enumerated() {
            guard let reading = sample.cpuNanoseconds else { continue }
            close(window: windowStart..<(index + 1), endCPU: reading)
            windowCPU = max(windowCPU, reading)
            windowStart = index + 1
        }
        close(window: windowStart..<samples.count, endCPU: stopCPU)
        self.wall = wall
        self.cpu = cpu
    }
}
