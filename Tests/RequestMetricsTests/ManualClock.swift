import RequestMetrics
import Synchronization

/// A clock tests move by hand: both the wall and the monotonic reading advance together.
final class ManualClock: Sendable {
    private let nanoseconds: Mutex<UInt64>

    init(wallNanoseconds: UInt64 = 1_800_000_000_000_000_000) {
        nanoseconds = Mutex(wallNanoseconds)
    }

    var now: UInt64 { nanoseconds.withLock { $0 } }

    func advance(by duration: Duration) {
        let components = duration.components
        let delta = UInt64(components.seconds) * 1_000_000_000 + UInt64(components.attoseconds / 1_000_000_000)
        nanoseconds.withLock { $0 += delta }
    }

    /// Steps the clock back, as NTP or an operator may do to a wall clock that ran fast.
    func stepBack(by duration: Duration) {
        let delta = UInt64(duration.components.seconds) * 1_000_000_000
        nanoseconds.withLock { $0 -= delta }
    }

    var metricsClock: MetricsClock {
        MetricsClock(wallNanoseconds: { self.now }, monotonicNanoseconds: { self.now })
    }
}
