/// One tick of the sampler, already unwound and symbolized.
public struct Sample: Sendable, Hashable, Codable {
    /// Indices into `Profile.frames`, root (outermost caller) first, leaf last.
    public var stack: [Int]
    /// When the sample was taken, in nanoseconds since the profile started.
    public var timeNanoseconds: UInt64
    /// Wall-clock time this sample stands for: the time since the previous sample, so timer
    /// overruns (missed ticks) are still counted.
    public var wallNanoseconds: UInt64
    /// Thread CPU time consumed since the previous sample. `wall - cpu` is time spent waiting
    /// (blocked in a syscall, descheduled, or idle while the task was suspended).
    public var cpuNanoseconds: UInt64
    public var state: SampleState

    public init(stack: [Int], timeNanoseconds: UInt64, wallNanoseconds: UInt64, cpuNanoseconds: UInt64, state: SampleState) {
        self.stack = stack
        self.timeNanoseconds = timeNanoseconds
        self.wallNanoseconds = wallNanoseconds
        self.cpuNanoseconds = cpuNanoseconds
        self.state = state
    }

    /// Wall time not spent on the CPU.
    public var waitNanoseconds: UInt64 { wallNanoseconds > cpuNanoseconds ? wallNanoseconds - cpuNanoseconds : 0 }
}
