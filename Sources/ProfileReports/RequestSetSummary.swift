/// A set of profiled requests, as an aggregate or diff report describes it up front.
public struct RequestSetSummary: Sendable, Hashable, Codable {
    /// How many requests (reports) were combined.
    public var requestCount: Int
    /// Start of the earliest request, seconds since 1970 (UTC).
    public var firstStartTime: Double
    /// End of the latest request (its start plus its duration), seconds since 1970 (UTC).
    public var lastEndTime: Double

    public init(requestCount: Int, firstStartTime: Double, lastEndTime: Double) {
        self.requestCount = requestCount
        self.firstStartTime = firstStartTime
        self.lastEndTime = lastEndTime
    }
}
