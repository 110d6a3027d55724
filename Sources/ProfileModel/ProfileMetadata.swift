/// Facts about how a profile was taken: what a report header and a health check show.
public struct ProfileMetadata: Sendable, Hashable, Codable {
    /// Wall-clock start, seconds since 1970 (UTC).
    public var startTime: Double
    /// Wall-clock duration of the profiled work, in nanoseconds.
    public var durationNanoseconds: UInt64
    /// Requested sampling interval, in nanoseconds.
    public var intervalNanoseconds: UInt64
    /// Thread CPU time the profiled thread used, in nanoseconds.
    public var cpuNanoseconds: UInt64
    /// Ticks the timer could not deliver in time (reported by the kernel as overruns). Their time
    /// is still counted in the next sample's wall weight.
    public var missedSamples: Int
    /// Ticks delivered after the sample buffer was full, and so not recorded.
    public var droppedSamples: Int
    /// Kernel thread id of the sampled thread.
    public var threadID: Int
    /// True when sampling stopped early at the configured maximum duration or sample count.
    public var truncated: Bool
    /// The request this profile belongs to, filled in by the middleware.
    public var request: RequestInfo?
    /// Human-readable remarks on the profile's quality (e.g. libunwind unavailable).
    public var notes: [String]

    public init(
        startTime: Double = 0,
        durationNanoseconds: UInt64 = 0,
        intervalNanoseconds: UInt64 = 1_000_000,
        cpuNanoseconds: UInt64 = 0,
        missedSamples: Int = 0,
        droppedSamples: Int = 0,
        threadID: Int = 0,
        truncated: Bool = false,
        request: RequestInfo? = nil,
        notes: [String] = []
    ) {
        self.startTime = startTime
        self.durationNanoseconds = durationNanoseconds
        self.intervalNanoseconds = intervalNanoseconds
        self.cpuNanoseconds = cpuNanoseconds
        self.missedSamples = missedSamples
        self.droppedSamples = droppedSamples
        self.threadID = threadID
        self.truncated = truncated
        self.request = request
        self.notes = notes
    }
}
