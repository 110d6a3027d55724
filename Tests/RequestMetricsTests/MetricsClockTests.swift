#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import RequestMetrics

/// The system clocks' conversion runs on every request.
struct MetricsClockTests {
    @Test func aTimeBefore1970ReadsAsZeroInsteadOfTrapping() {
        #expect(MetricsClock.nanoseconds(timespec(tv_sec: -1, tv_nsec: 500)) == 0)
        #expect(MetricsClock.nanoseconds(timespec(tv_sec: 0, tv_nsec: 0)) == 0)
        #expect(MetricsClock.nanoseconds(timespec(tv_sec: 1_765_000_000, tv_nsec: 42)) == 1_765_000_000_000_000_042)
    }

    @Test func theSystemClocksRead() {
        #expect(MetricsClock.system.wallNanoseconds() > 1_600_000_000_000_000_000)
        let first = MetricsClock.system.monotonicNanoseconds()
        #expect(MetricsClock.system.monotonicNanoseconds() >= first)
    }
}
