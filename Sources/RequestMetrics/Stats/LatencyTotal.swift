import Histogram

/// The sum of a route's minutes (or of every route's): what the dashboard's figures and the
/// auto-capture threshold are read from.
///
/// A minute's counts are 32-bit: one route would need 71 million requests a second to fill a
/// bucket in a minute. A window's sum is not safe in 32 bits: with a day's window, 50,000
/// requests a second pass 2^32, and hdrhistogram-swift adds counts with wrapping arithmetic,
/// so the percentiles of the sum would come out as 0 or wrong. A sum that could pass 2^32 is
/// made in 64-bit counts; every other one (nearly all) keeps the fast 32-bit add.
struct LatencyTotal: Sendable {
    enum Counts: Sendable {
        case narrow(Histogram<UInt32>)
        /// Built bucket by bucket, each at its highest equivalent value: the largest latency
        /// then reads as its bucket's top (within the histogram's 1%), not the exact value.
        case wide(Histogram<UInt64>)
    }

    let counts: Counts
    let errors: Int

    var count: Int {
        switch counts {
        case .narrow(let histogram): Int(histogram.totalCount)
        case .wide(let histogram): Int(histogram.totalCount)
        }
    }

    /// The sum of `parts`, nil when there are none.
    static func sum(_ parts: [LatencyCounts]) -> LatencyTotal? {
        guard !parts.isEmpty else { return nil }
        let errors = parts.reduce(0) { $0 + $1.errors }
        let total = parts.reduce(UInt64(0)) { $0 &+ $1.histogram.totalCount }
        if total <= UInt64(UInt32.max), let narrow = LatencyCounts.sum(parts) {
            return LatencyTotal(counts: .narrow(narrow.histogram), errors: errors)
        }
        // Twice the widest part's range: a bucket's highest equivalent value may lie past its
        // part's highest trackable value, and growing is slow (see LatencyCounts).
        let highest = parts.map(\.histogram.highestTrackableValue).max() ?? 1
        var wide = Histogram<UInt64>(
            lowestDiscernibleValue: 1, highestTrackableValue: max(highest, 1) &* 2, numberOfSignificantValueDigits: .two)
        wide.autoResize = true
        for part in parts {
            for bucket in part.histogram.recordedValues() {
                wide.record(bucket.value, count: UInt64(bucket.count))
            }
        }
        return LatencyTotal(counts: .wide(wide), errors: errors)
    }

    /// The percentile in microseconds (the histogram's unit); 0 for an empty sum.
    func percentileMicroseconds(_ percentile: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        return switch counts {
        case .narrow(let histogram): histogram.valueAtPercentile(percentile)
        case .wide(let histogram): histogram.valueAtPercentile(percentile)
        }
    }

    /// The percentile in nanoseconds; 0 for an empty sum.
    func percentileNanoseconds(_ percentile: Double) -> UInt64 {
        percentileMicroseconds(percentile) &* 1_000
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

    /// No requests: the overall figures of an empty window.
    static let empty = LatencyTotal(counts: .narrow(LatencyCounts().histogram), errors: 0)
}
