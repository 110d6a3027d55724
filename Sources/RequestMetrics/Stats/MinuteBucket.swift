/// One minute of the sliding window: all routes' latencies plus the overall ones.
struct MinuteBucket: Sendable {
    /// Minutes since 1970 this bucket holds; buckets whose minute left the window are stale.
    var minute: UInt64
    var overall = LatencyCounts()
    var routes: [RouteKey: LatencyCounts] = [:]

    init(minute: UInt64) {
        self.minute = minute
    }
}
