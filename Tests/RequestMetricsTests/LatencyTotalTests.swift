import Histogram
import Testing

@testable import RequestMetrics

/// A window's sum of minutes can hold more than 2^32 requests (a day's window at 50,000
/// requests a second), which 32-bit counts cannot.
@Suite struct LatencyTotalTests {
    /// A minute's counts with `count` requests of each latency (microseconds), made directly in
    /// the histogram: billions of `record` calls would take minutes.
    private func minute(_ latencies: [(microseconds: UInt64, count: UInt32)], errors: Int = 0) -> LatencyCounts {
        var counts = LatencyCounts()
        for latency in latencies {
            counts.record(durationNanoseconds: latency.microseconds * 1_000, failed: false)
            counts.histogram.record(latency.microseconds, count: latency.count - 1)
        }
        counts.errors = errors
        return counts
    }

    @Test func aSumPastTwoToTheThirtyTwoKeepsItsPercentiles() throws {
        // 6 billion requests of 100 µs, 3 billion of 200 µs and one of 50 ms: a 32-bit sum
        // wraps the 100 µs bucket to 1.7 billion, and its p50 came out as 0.
        let parts = [
            minute([(100, 3_000_000_000), (200, 1_500_000_000)], errors: 7),
            minute([(100, 3_000_000_000), (200, 1_500_000_000)]),
            minute([(50_000, 1)]),
        ]
        let total = try #require(LatencyTotal.sum(parts))
        #expect(total.count == 9_000_000_001)
        #expect(total.errors == 7)
        #expect(total.percentileMicroseconds(50) == 100)
        #expect(total.percentileMicroseconds(66) == 100)
        #expect(total.percentileMicroseconds(95) == 200)
        #expect(total.percentileMicroseconds(99) == 200)
        let summary = total.summary(coveredSeconds: 100)
        #expect(summary.p50Nanoseconds == 100_000)
        #expect(summary.p99Nanoseconds == 200_000)
        #expect(summary.requestsPerSecond == 90_000_000.01)
    }

    @Test func aSumThatFitsGivesWhatTheMinutesAddedUpGive() throws {
        let parts = [
            minute([(10, 1_000), (1_000, 20)]), minute([(30, 500), (5_000_000, 1)], errors: 2), minute([(700, 3)]),
        ]
        let total = try #require(LatencyTotal.sum(parts))
        let added = try #require(LatencyCounts.sum(parts))
        #expect(total.count == added.count)
        #expect(total.errors == 2)
        for percentile in [1.0, 50, 95, 99, 99.9, 100] {
            #expect(total.percentileMicroseconds(percentile) == added.histogram.valueAtPercentile(percentile))
        }
        #expect(LatencyTotal.sum([]) == nil)
        #expect(LatencyTotal.empty.percentileNanoseconds(95) == 0)
    }
}
