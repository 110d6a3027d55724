import Histogram
import Testing

@testable import RequestMetrics

/// `LatencyCounts` grows its histogram by hand (hdrhistogram-swift's own growing is slow, see
/// its doc comment): every count must land where the histogram's own growing puts it.
@Suite struct LatencyCountsTests {
    private let percentiles: [Double] = [1, 50, 90, 95, 99, 99.9, 100]

    /// Microsecond values of three minutes of one route: short requests, then a minute with
    /// a five-second outlier, then tens of milliseconds.
    private let minutes: [[UInt64]] = [
        (1...2_000).map { UInt64($0) },
        (1...500).map { UInt64($0) * 37 } + [5_000_000],
        (1...1_000).reversed().map { UInt64($0) * 50 },
    ]

    private func reference(_ values: [UInt64]) -> Histogram<UInt32> {
        var histogram = Histogram<UInt32>(numberOfSignificantValueDigits: .two)
        for value in values { histogram.record(value) }
        return histogram
    }

    private func counts(_ values: [UInt64], failedEvery: Int = 0) -> LatencyCounts {
        var counts = LatencyCounts()
        for (index, value) in values.enumerated() {
            counts.record(durationNanoseconds: value * 1_000, failed: failedEvery > 0 && index % failedEvery == 0)
        }
        return counts
    }

    @Test func recordingWideningValuesKeepsEveryCount() {
        let values = minutes.flatMap { $0 }
        let counts = counts(values)
        let expected = reference(values)
        #expect(counts.count == values.count)
        #expect(counts.histogram.maxRecorded == expected.maxRecorded)
        for percentile in percentiles {
            #expect(counts.histogram.valueAtPercentile(percentile) == expected.valueAtPercentile(percentile))
        }
    }

    @Test func theSumOfMinutesIsTheirUnionInAnyOrder() throws {
        let parts = minutes.map { counts($0, failedEvery: 10) }
        let expected = reference(minutes.flatMap { $0 })
        for order in [parts, parts.reversed(), [parts[1], parts[0], parts[2]]] {
            let sum = try #require(LatencyCounts.sum(order))
            #expect(sum.count == expected.totalCount.asInt)
            #expect(sum.errors == parts.map(\.errors).reduce(0, +))
            for percentile in percentiles {
                #expect(sum.histogram.valueAtPercentile(percentile) == expected.valueAtPercentile(percentile))
            }
        }
        // The parts themselves are left as they were.
        #expect(parts.map(\.count) == minutes.map(\.count))
        #expect(LatencyCounts.sum([])?.count == nil)
    }
}

extension UInt64 {
    fileprivate var asInt: Int { Int(self) }
}
