import Foundation
import RequestMetrics

/// What the stats store's two questions cost on a realistic window: auto-capture's "what is
/// this route's p95?" (asked for every automatic profile) and the dashboard's snapshot.
///
/// The window is 15 minutes of 8 routes, 2,000 requests per route per minute, latencies
/// spread from 100 µs to 50 ms with one 2-second outlier per route per minute: the
/// histograms then have the width a real server's have (an in-process trial's latencies
/// are microseconds, and its histograms stay small).
enum StatsBenchmark {
    static let routes = MetricsBenchmark.routes
    static let minutes = 15
    static let requestsPerRouteMinute = 2_000

    static func run() -> [(name: String, value: String)] {
        let clock = SteppingClock()
        let store = StatsStore(clock: { clock.now })
        let spread = SeededRandomSource(seed: 7)
        // Log-uniform between 100 µs and 50 ms, one 2 s outlier: drawn before the timing, so
        // that the record row times recording, not `pow` and the random source.
        let latencies = (0..<requestsPerRouteMinute).map { index -> UInt64 in
            UInt64((index == 0 ? 2_000_000 : 100 * pow(500, spread.nextUnitInterval())) * 1_000)
        }
        let filled = ContinuousClock.now
        for _ in 0..<minutes {
            for route in routes {
                for latency in latencies {
                    store.record(method: "GET", route: route, status: 200, durationNanoseconds: latency, failed: false)
                }
            }
            clock.now += 60_000_000_000
        }
        let recordCost = MiddlewareBenchmark.nanoseconds(ContinuousClock.now - filled)
            / Double(minutes * routes.count * requestsPerRouteMinute)
        clock.now -= 1_000_000_000  // inside the last minute: all 15 are in the window

        let asks = 2_000
        var started = ContinuousClock.now
        var total = 0
        for index in 0..<asks {
            total &+= store.latency(method: "GET", route: routes[index % routes.count])?.count ?? 0
        }
        let latencyCost = MiddlewareBenchmark.nanoseconds(ContinuousClock.now - started) / Double(asks)
        let snapshots = 50
        started = ContinuousClock.now
        for _ in 0..<snapshots { total &+= store.snapshot().overall.count }
        let snapshotCost = MiddlewareBenchmark.nanoseconds(ContinuousClock.now - started) / Double(snapshots)
        precondition(total > 0)
        return [
            ("stats: record (per request)", MetricsBenchmark.perRequest(recordCost)),
            ("stats: a route's p95 over 15 min (per automatic profile)", "\((latencyCost / 10).rounded() / 100) µs"),
            ("stats: snapshot of 8 routes x 15 min (per dashboard view)", "\((snapshotCost / 10).rounded() / 100) µs"),
        ]
    }

    /// A wall clock the benchmark moves by hand, a minute at a time.
    final class SteppingClock: @unchecked Sendable {
        var now: UInt64 = 1_800_000_000 * 1_000_000_000
    }
}
