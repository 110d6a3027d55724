/// What an aggregate of many requests adds to a report: the request set and, per frame, its
/// summed times and its per-request distribution. Computed by module `ProfileAggregate`;
/// carried by `RenderOptions.aggregate` so the ordinary renderers show it (a table up front in
/// text and html, an `aggregate` object in json) instead of aggregate copies of them.
public struct AggregateSummary: Sendable, Hashable, Codable {
    public var requests: RequestSetSummary
    /// One entry per frame of the merged profile (except the profiler's own), heaviest
    /// total wall time first.
    public var frames: [FrameStatistics]

    public init(requests: RequestSetSummary, frames: [FrameStatistics]) {
        self.requests = requests
        self.frames = frames
    }
}

/// One frame's times over a set of requests. A frame's time in one request is the wall time
/// of every sample whose stack contains it (its inclusive, "total" time), each sample counted
/// once even when the frame recurses.
public struct FrameStatistics: Sendable, Hashable, Codable {
    /// Index into the report's `frames`.
    public var frame: Int
    /// The frame's short name, repeated so an entry reads on its own.
    public var name: String
    /// Requests in which the frame appeared in at least one sample.
    public var requestCount: Int
    /// Summed over all requests: wall, CPU and await (suspended) time through the frame.
    public var wallNanoseconds: UInt64
    public var cpuNanoseconds: UInt64
    public var awaitNanoseconds: UInt64
    /// Summed self time: samples whose leaf is the frame.
    public var selfNanoseconds: UInt64
    /// Median and 95th percentile of the frame's time per request, over all requests (a
    /// request in which it did not appear counts as 0), linearly interpolated between ranks.
    public var medianNanoseconds: UInt64
    public var p95Nanoseconds: UInt64

    public init(
        frame: Int, name: String, requestCount: Int, wallNanoseconds: UInt64, cpuNanoseconds: UInt64,
        awaitNanoseconds: UInt64, selfNanoseconds: UInt64, medianNanoseconds: UInt64, p95Nanoseconds: UInt64
    ) {
        self.frame = frame
        self.name = name
        self.requestCount = requestCount
        self.wallNanoseconds = wallNanoseconds
        self.cpuNanoseconds = cpuNanoseconds
        self.awaitNanoseconds = awaitNanoseconds
        self.selfNanoseconds = selfNanoseconds
        self.medianNanoseconds = medianNanoseconds
        self.p95Nanoseconds = p95Nanoseconds
    }
}
