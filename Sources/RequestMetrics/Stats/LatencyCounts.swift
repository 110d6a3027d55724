import Histogram

/// Latencies and error count of one route (or of all routes) in one minute.
///
/// Latencies are kept in microseconds at two significant digits (1% precision): an
/// auto-resizing HdrHistogram then stays a few kilobytes even for minute-long outliers, which
/// matters because there is one per route per minute of the window.
struct LatencyCounts: Sendable {
    var histogram = Histogram<UInt32>(numberOfSignificantValueDigits: .two)
    var errors = 0

    var count: Int { Int(histogram.totalCount) }

    mutating func record(durationNanoseconds: UInt64, failed: Bool) {
        histogram.record(durationNanoseconds / 1_000)
        if failed { errors += 1 }
    }

    mutating func add(_ other: LatencyCounts) {
        histogram.add(other.histogram)
        errors += other.errors
    }

    func summary(coveredSeconds: Double) -> LatencySummary {
        let count = count
        return LatencySummary(
            count: count,
            errors: errors,
            errorRate: count == 0 ? 0 : Double(errors) / Double(count),
            requestsPerSecond: Double(count) / coveredSeconds,
            p50Nanoseconds: percentileNanoseconds(50),
            p95Nanoseconds: percentileNanoseconds(95),
            p99Nanoseconds: percentileNanoseconds(99)
        )
    }

    /// The percentile in nanoseconds; 0 for an empty histogram.
    func percentileNanoseconds(_ percentile: Double) -> UInt64 {
        count == 0 ? 0 : histogram.valueAtPercentile(percentile) &* 1_000
    }
}
