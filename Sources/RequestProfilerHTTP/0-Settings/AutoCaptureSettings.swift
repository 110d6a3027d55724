/// Automatic profiles of slow requests (`PROFILING_AUTO_*`): a share of requests is profiled
/// without `?profile=1`, and the report is kept only when the request turned out slow.
/// Off while ``rate`` is 0.
public struct AutoCaptureSettings: Sendable, Equatable {
    /// Share of requests (0...1) profiled without being asked.
    public var rate: Double
    /// Keep a report only when its request took longer than this. Nil: longer than its route's
    /// current p95, once the route has ``minimumRequestsForPercentile`` requests.
    public var slowerThan: Duration?
    /// At most this many automatic reports are kept per route; the oldest file goes first.
    public var keepPerRoute: Int

    public init(rate: Double = 0, slowerThan: Duration? = nil, keepPerRoute: Int = 20) {
        self.rate = rate
        self.slowerThan = slowerThan
        self.keepPerRoute = keepPerRoute
    }

    public var isEnabled: Bool { rate > 0 }

    /// A route's p95 is trusted as a threshold only from this many requests on.
    public static let minimumRequestsForPercentile = 20
}
