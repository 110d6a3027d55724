#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The two clocks metrics need, injectable so tests can move time instead of sleeping.
///
/// `wallNanoseconds` stamps events (`ts_ns`) and places requests in the stats window;
/// `monotonicNanoseconds` measures durations, immune to wall-clock steps.
public struct MetricsClock: Sendable {
    public var wallNanoseconds: @Sendable () -> UInt64
    public var monotonicNanoseconds: @Sendable () -> UInt64

    public init(wallNanoseconds: @escaping @Sendable () -> UInt64, monotonicNanoseconds: @escaping @Sendable () -> UInt64) {
        self.wallNanoseconds = wallNanoseconds
        self.monotonicNanoseconds = monotonicNanoseconds
    }

    /// The system's realtime and monotonic clocks (`clock_gettime`, a vDSO call: no syscall).
    public static let system = MetricsClock(
        wallNanoseconds: { readClock(CLOCK_REALTIME) },
        monotonicNanoseconds: { readClock(CLOCK_MONOTONIC) }
    )

    private static func readClock(_ id: clockid_t) -> UInt64 {
        var spec = timespec()
        clock_gettime(id, &spec)
        return nanoseconds(spec)
    }

    /// `spec` in nanoseconds; 0 for a time before 1970 (a wall clock set back that far), which
    /// trapped in the conversion, on every request.
    static func nanoseconds(_ spec: timespec) -> UInt64 {
        guard spec.tv_sec >= 0, spec.tv_nsec >= 0 else { return 0 }
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}
