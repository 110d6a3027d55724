/// One minute of the sliding window: each route's latencies. The overall figures are the sum of
/// the routes', added up when a snapshot is taken (rarely) rather than recorded a second time
/// on every request.
struct MinuteBucket: Sendable {
    /// Minutes since 1970 this bucket holds; buckets whose minute left the window are stale.
    var minute: UInt64
    var routes: [RouteKey: LatencyCounts] = [:]

    init(minute: UInt64) {
        self.minute = minute
    }
}
