import RequestMetrics

/// Decides whether an automatically profiled request was slow enough to keep its report:
/// slower than a fixed threshold when one is set, else slower than its route's current p95
/// once the route has enough requests for that p95 to mean something and the request lasted
/// at least one sampling interval; and, once the route has as many automatic profiles, also
/// slower than their p95, so that the delay profiling itself adds (see ``ProfiledDurations``)
/// does not pass for slowness.
public struct SlowRequestRule: Sendable {
    public let fixedThreshold: Duration?
    public let minimumRequests: Int
    /// The p95 rule never keeps a request shorter than this (the sampling interval): its profile
    /// holds no sample, and a route of microsecond requests would otherwise keep every profiled
    /// one, since being profiled (a fresh thread, a timer) makes a request slower than the
    /// route's unprofiled p95. In nanoseconds; a negative `shortestKept` is taken as zero, and
    /// one too long for nanoseconds as `UInt64.max` (no request is that long).
    public let shortestKept: UInt64

    public init(
        fixedThreshold: Duration?, minimumRequests: Int = AutoCaptureSettings.minimumRequestsForPercentile,
        shortestKept: Duration = .zero
    ) {
        self.fixedThreshold = fixedThreshold
        self.minimumRequests = minimumRequests
        self.shortestKept = shortestKept.clampedNanoseconds
    }

    /// - Parameters:
    ///   - stats: the route's statistics before this request was recorded.
    ///   - profiled: the count and p95 of the route's earlier automatic profiles, if any.
    public func isSlow(
        durationNanoseconds: UInt64, method: String, route: String, stats: StatsStore?,
        profiled: (count: Int, p95Nanoseconds: UInt64)? = nil
    ) -> Bool {
        if let fixedThreshold {
            return Double(durationNanoseconds) > Double(fixedThreshold.components.seconds) * 1e9
                + Double(fixedThreshold.components.attoseconds) / 1e9
        }
        guard durationNanoseconds >= shortestKept,
            let latency = stats?.latency(method: method, route: route), latency.count >= minimumRequests,
            durationNanoseconds > latency.p95Nanoseconds
        else {
            return false
        }
        guard let profiled, profiled.count >= minimumRequests else { return true }
        return durationNanoseconds > profiled.p95Nanoseconds
    }
}
