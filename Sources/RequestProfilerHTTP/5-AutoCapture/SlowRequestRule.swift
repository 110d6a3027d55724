import RequestMetrics

/// Decides whether an automatically profiled request was slow enough to keep its report:
/// slower than a fixed threshold when one is set, else slower than its route's current p95
/// once the route has enough requests for that p95 to mean something.
public struct SlowRequestRule: Sendable {
    public let fixedThreshold: Duration?
    public let minimumRequests: Int

    public init(fixedThreshold: Duration?, minimumRequests: Int = AutoCaptureSettings.minimumRequestsForPercentile) {
        self.fixedThreshold = fixedThreshold
        self.minimumRequests = minimumRequests
    }

    /// - Parameter stats: the route's statistics before this request was recorded.
    public func isSlow(durationNanoseconds: UInt64, method: String, route: String, stats: StatsStore?) -> Bool {
        if let fixedThreshold {
            return Double(durationNanoseconds) > Double(fixedThreshold.components.seconds) * 1e9
                + Double(fixedThreshold.components.attoseconds) / 1e9
        }
        guard let latency = stats?.latency(method: method, route: route), latency.count >= minimumRequests else {
            return false
        }
        return durationNanoseconds > latency.p95Nanoseconds
    }
}
