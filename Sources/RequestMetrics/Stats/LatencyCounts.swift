import Histogram

/// Latencies and error count of one route (or of all routes) in one minute.
///
/// Latencies are kept in microseconds at two significant digits (1% precision): an
/// auto-resizing HdrHistogram then stays a few kilobytes even for minute-long outliers, which
/// matters because there is one per route per minute of the window.
///
/// Growing is done here, not by the histogram. hdrhistogram-swift grows its counts through
/// generic code that is not specialized in the caller (`resize` is not inlinable): about
/// 250 ns per slot, half a millisecond for a histogram that holds a one-second outlier. A
/// fresh histogram built at the wider size and summed into costs a few microseconds.
struct LatencyCounts: Sendable {
    var histogram = Histogram<UInt32>(numberOfSignificantValueDigits: .two)
    var errors = 0

    var count: Int { Int(histogram.totalCount) }

    mutating func record(durationNanoseconds: UInt64, failed: Bool) {
        let microseconds = durationNanoseconds / 1_000
        if microseconds > histogram.highestTrackableValue {
            widen(toHold: microseconds)
        }
        histogram.record(microseconds)
        if failed { errors += 1 }
    }

    mutating func add(_ other: LatencyCounts) {
        if other.histogram.highestTrackableValue > histogram.highestTrackableValue {
            widen(toHold: other.histogram.highestTrackableValue)
        }
        histogram.add(other.histogram)
        errors += other.errors
    }

    /// The sum of `parts` (a route's minutes, or every route's), nil when there are none.
    /// Starts from a copy of the widest part, so that adding the others never grows it.
    /// Counts are 32-bit and added with wrapping arithmetic: ``LatencyTotal/sum(_:)`` calls this
    /// only for parts whose total fits.
    static func sum(_ parts: [LatencyCounts]) -> LatencyCounts? {
        guard let widest = parts.indices.max(by: {
            parts[$0].histogram.highestTrackableValue < parts[$1].histogram.highestTrackableValue
        }) else { return nil }
        var total = parts[widest]
        for index in parts.indices where index != widest {
            total.add(parts[index])
        }
        return total
    }

    /// Replaces the histogram with one that holds `value` (and, to grow seldom, at least twice
    /// the current range), holding the same counts.
    private mutating func widen(toHold value: UInt64) {
        var wider = Histogram<UInt32>(
            lowestDiscernibleValue: 1, highestTrackableValue: max(value, histogram.highestTrackableValue * 2, 2),
            numberOfSignificantValueDigits: .two)
        wider.autoResize = true
        wider.add(histogram)
        histogram = wider
    }
}
