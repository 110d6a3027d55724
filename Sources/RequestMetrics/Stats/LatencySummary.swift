/// Counts and latency percentiles of a set of requests over the stats window.
public struct LatencySummary: Sendable, Equatable {
    public var count: Int
    public var errors: Int
    /// errors / count, 0 when there were no requests.
    public var errorRate: Double
    /// count over the part of the window that has elapsed since the store started.
    public var requestsPerSecond: Double
    public var p50Nanoseconds: UInt64
    public var p95Nanoseconds: UInt64
    public var p99Nanoseconds: UInt64

    public init(
        count: Int, errors: Int, errorRate: Double, requestsPerSecond: Double, p50Nanoseconds: UInt64,
        p95Nanoseconds: UInt64, p99Nanoseconds: UInt64
    ) {
        self.count = count
        self.errors = errors
        self.errorRate = errorRate
        self.requestsPerSecond = requestsPerSecond
        self.p50Nanoseconds = p50Nanoseconds
        self.p95Nanoseconds = p95Nanoseconds
        self.p99Nanoseconds = p99Nanoseconds
    }
}
