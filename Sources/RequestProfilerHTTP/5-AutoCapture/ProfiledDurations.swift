import Synchronization

/// The handler times of each route's most recent automatic profiles, for comparing a profiled
/// request with other profiled requests rather than only with unprofiled ones.
///
/// Why: being profiled makes a request slower on a busy server (its work moves to the sampled
/// thread and back, and with Vapor through the event loop once more), by milliseconds when
/// the CPU is saturated. Measured on the Vapor demo's `/hello`, one core at 100% under wrk:
/// the unprofiled p95 was 2 ms, profiled requests took 1.5 to 7 ms, and 28% of the automatic
/// profiles (173 in 6 s) were kept as slow although none was. Compared with each other as
/// well, 6.6% were (37, the first 20 of them before the comparison starts).
///
/// Only the profiles of the stats window (15 minutes by default) count, as for the route's own
/// p95: kept for good, the 3 s profiles of an hour's incident on a quiet route (20 profiles a
/// day) held every later slow request below their p95 for the five days it took 100 newer
/// ones to push them out.
final class ProfiledDurations: Sendable {
    /// Durations kept per route: enough for a p95, few enough to sort on each profile.
    static let perRoute = 100
    /// Routes are templates, so few; past this many, new ones are not tracked.
    static let maximumRoutes = 1_000

    private struct Ring: Sendable {
        /// Durations and when they were recorded (monotonic nanoseconds).
        var values: [(duration: UInt64, at: UInt64)] = []
        var next = 0

        mutating func append(_ value: UInt64, at time: UInt64) {
            if values.count < ProfiledDurations.perRoute {
                values.append((value, time))
            } else {
                values[next] = (value, time)
                next = (next + 1) % ProfiledDurations.perRoute
            }
        }
    }

    private let rings = Mutex<[String: Ring]>([:])

    /// The route's profiled requests of the last `window` (at most the last ``perRoute``) as a
    /// count and their p95, nil when there are none; then records `duration` among them.
    /// - Parameters:
    ///   - now: monotonic nanoseconds.
    ///   - window: how far back a profile counts, in nanoseconds.
    func p95ThenRecord(
        method: String, route: String, durationNanoseconds duration: UInt64, at now: UInt64 = 0, window: UInt64 = .max
    ) -> (count: Int, p95Nanoseconds: UInt64)? {
        let key = method + " " + route
        let values: [UInt64]? = rings.withLock { rings in
            let before = rings[key]?.values.filter { now < $0.at || now - $0.at <= window }.map(\.duration)
            if before != nil || rings.count < Self.maximumRoutes {
                rings[key, default: Ring()].append(duration, at: now)
            }
            return before
        }
        guard let values, !values.isEmpty else { return nil }
        return (values.count, Self.percentile95(values))
    }

    /// Nearest rank: the smallest value that at least 95% of `values` do not exceed.
    static func percentile95(_ values: [UInt64]) -> UInt64 {
        let sorted = values.sorted()
        let rank = Int((Double(sorted.count) * 0.95).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
