import Synchronization

/// Request counts and latency percentiles over a sliding window, per route and overall, plus a
/// one-minute sparkline and a ring of recent errors: the numbers behind the dashboard and the
/// auto-capture threshold.
///
/// The window is a ring of per-minute buckets (the current minute plus the previous ones up to
/// `window`); a bucket whose minute has left the window is reset on reuse, so expiry costs
/// nothing on its own. `record` is on every measured request: it takes one short lock, does a
/// dictionary lookup and a histogram increment. `snapshot` copies the live buckets under the
/// lock (copy-on-write, cheap) and merges them outside it.
///
/// A wall clock stepped back (NTP, an operator) comes round to minutes and seconds whose slots
/// it filled before the step: those slots are emptied when the first request after the step is
/// recorded, so that no request is counted twice (the requests of the minute the clock landed in
/// that came before that moment of it are lost with them).
public final class StatsStore: Sendable {
    private struct State: Sendable {
        var buckets: [MinuteBucket]
        var seconds: [SecondCounter]
        var errors: RecentErrorRing
        /// The newest second a request was recorded in (moved by the first request of each
        /// second): a request well before it was recorded late, or the clock was stepped back.
        var newestSecond: UInt64
        /// Since when the live buckets may hold requests: the store's start, or when a clock
        /// stepped back to before it was noticed (everything counted until then was let go).
        var countingSince: UInt64
    }

    public let windowSeconds: Int
    private let windowMinutes: Int
    private let clock: @Sendable () -> UInt64
    private let state: Mutex<State>

    /// The longest window: a day. One bucket per minute is allocated up front and every
    /// snapshot merges them all, so a window of years would take the server's memory (or, near
    /// `Int.max` seconds, trap on its arithmetic) instead of giving older figures.
    public static let longestWindow: Duration = .seconds(24 * 3600)
    /// Per-second counters: the sparkline's 60 whole seconds and the current one.
    static let secondSlots = 61
    /// The window when none is given: 15 minutes.
    public static let defaultWindow: Duration = .seconds(900)
    /// How far before the newest second a request's time must be to be looked at as a possible
    /// step back of the clock: requests ending around a second's turn are recorded a little out
    /// of order all the time, and need no clock read. A smaller step goes unnoticed: the two
    /// or three seconds it goes back over are counted twice.
    static let stepBackSeconds: UInt64 = 2

    /// - Parameters:
    ///   - window: rounded up to whole minutes, from one minute to ``longestWindow``.
    ///   - recentErrorCapacity: errors kept for the dashboard, up to
    ///     100,000 (a larger number is taken as that).
    ///   - clock: wall clock in nanoseconds since 1970; tests inject their own.
    public init(
        window: Duration = StatsStore.defaultWindow, recentErrorCapacity: Int = 100,
        clock: @escaping @Sendable () -> UInt64 = MetricsClock.system.wallNanoseconds
    ) {
        let (wholeSeconds, attoseconds) = min(window, Self.longestWindow).components
        let seconds = max(1, Int(wholeSeconds) + (attoseconds > 0 ? 1 : 0))
        windowMinutes = (seconds + 59) / 60
        windowSeconds = windowMinutes * 60
        self.clock = clock
        let start = clock()
        state = Mutex(
            State(
                buckets: (0..<windowMinutes).map { _ in MinuteBucket(minute: .max) },
                seconds: Array(repeating: SecondCounter(), count: Self.secondSlots),
                errors: RecentErrorRing(capacity: recentErrorCapacity),
                newestSecond: start / 1_000_000_000,
                countingSince: start
            ))
    }

    /// Records one finished request. `failed` counts it in the error rate (a thrown error or 5xx).
    public func record(method: String, route: String, status: Int, durationNanoseconds: UInt64, failed: Bool) {
        record(method: method, route: route, durationNanoseconds: durationNanoseconds, failed: failed, at: clock())
    }

    /// The same, at a wall-clock time the caller already has (saves a clock read per request).
    func record(method: String, route: String, durationNanoseconds: UInt64, failed: Bool, at now: UInt64) {
        let minute = now / 60_000_000_000
        let second = now / 1_000_000_000
        let key = RouteKey(method: method, route: route)
        let minuteSlot = Int(minute % UInt64(windowMinutes))
        let secondSlot = Int(second % UInt64(Self.secondSlots))
        state.withLock { state in
            // A slot is reset for a newer minute or second. A request recorded late (a
            // caller's `at` from before the minute turned) whose slot already holds a newer
            // one has left that part of the window: it must not wipe the newer counts. But a
            // slot newer than the clock itself was filled before the wall clock was stepped
            // back (NTP, an operator): kept, it took no request and showed none until the
            // clock caught up, a blank dashboard for as long as the step. Told apart by
            // reading the clock, only then.
            var clockNow: UInt64?
            func clockReading() -> UInt64 {
                if clockNow == nil { clockNow = clock() }
                return clockNow!
            }
            func isAheadOfTheClock(_ time: UInt64, per unit: UInt64) -> Bool {
                time > clockReading() / unit
            }
            // Well before the newest second: recorded late (a report saved first), or the clock
            // was stepped back, which the clock then reads as well. One comparison on the way
            // of every request; the clock is read only for such a time.
            if second &+ Self.stepBackSeconds < state.newestSecond,
                clockReading() / 1_000_000_000 &+ Self.stepBackSeconds < state.newestSecond
            {
                Self.forgetWhatTheClockWentBackOver(to: clockReading(), in: &state)
            }
            let bucketMinute = state.buckets[minuteSlot].minute
            if bucketMinute == .max || bucketMinute < minute
                || (bucketMinute > minute && isAheadOfTheClock(bucketMinute, per: 60_000_000_000))
            {
                state.buckets[minuteSlot] = MinuteBucket(minute: minute)
            }
            if state.buckets[minuteSlot].minute == minute {
                state.buckets[minuteSlot].routes[key, default: LatencyCounts()]
                    .record(durationNanoseconds: durationNanoseconds, failed: failed)
            }
            let counterSecond = state.seconds[secondSlot].second
            if counterSecond == .max || counterSecond < second
                || (counterSecond > second && isAheadOfTheClock(counterSecond, per: 1_000_000_000))
            {
                state.seconds[secondSlot] = SecondCounter(second: second, count: 0)
                // The first request of a second moves the newest second on, unless it jumps
                // ahead of the clock: a request that began before a step back and ended after
                // it carries the old clock's time, and would make the clock look stepped back
                // again.
                if second > state.newestSecond,
                    second <= state.newestSecond &+ Self.stepBackSeconds || !isAheadOfTheClock(second, per: 1_000_000_000)
                {
                    state.newestSecond = second
                }
            }
            if state.seconds[secondSlot].second == second {
                state.seconds[secondSlot].count += 1
            }
        }
    }

    /// The clock was stepped back to `now`: the slots of its minute and second and of those after
    /// them were filled before the step, and the same minutes and seconds come round again.
    /// Kept, each would add the requests of its second pass to those of its first: counts and
    /// requests per second too high. Emptied, the window holds what came before the step's
    /// minute, and what comes from now on.
    private static func forgetWhatTheClockWentBackOver(to now: UInt64, in state: inout State) {
        let minute = now / 60_000_000_000
        let second = now / 1_000_000_000
        for index in state.buckets.indices where state.buckets[index].minute >= minute {
            state.buckets[index] = MinuteBucket(minute: .max)
        }
        for index in state.seconds.indices where state.seconds[index].second >= second {
            state.seconds[index] = SecondCounter()
        }
        state.newestSecond = second
        // Back before the start, everything counted is gone: coverage starts again now.
        state.countingSince = min(state.countingSince, now)
    }

    /// Adds an error to the ring of recent errors (the counts are kept by ``record(method:route:status:durationNanoseconds:failed:)``).
    public func record(_ error: RecentError) {
        state.withLock { $0.errors.append(error) }
    }

    public func snapshot() -> StatsSnapshot {
        let now = clock()
        let (buckets, seconds, errors, countingSince) = state.withLock { state in
            (liveBuckets(in: state, now: now), state.seconds, state.errors.newestFirst, state.countingSince)
        }
        var minutes: [RouteKey: [LatencyCounts]] = [:]
        var all: [LatencyCounts] = []
        for bucket in buckets {
            for (key, counts) in bucket.routes {
                minutes[key, default: []].append(counts)
                all.append(counts)
            }
        }
        let overall = LatencyTotal.sum(all) ?? .empty
        let routes = minutes.compactMapValues(LatencyTotal.sum)
        let covered = coveredSeconds(now: now, countingSince: countingSince)
        let nowSecond = now / 1_000_000_000
        // The 60 whole seconds before the current one: the current second, still running,
        // read as a drop at the end of the line on every refresh of a steady load.
        let sparkline = (0..<60).map { offset -> Int in
            let second = nowSecond &- UInt64(60 - offset)
            let counter = seconds[Int(second % UInt64(Self.secondSlots))]
            return counter.second == second ? counter.count : 0
        }
        return StatsSnapshot(
            windowSeconds: windowSeconds,
            overall: overall.summary(coveredSeconds: covered),
            routes: routes.map { RouteStats(method: $0.key.method, route: $0.key.route, summary: $0.value.summary(coveredSeconds: covered)) }
                .sorted { ($0.route, $0.method) < ($1.route, $1.method) },
            sparkline: sparkline,
            recentErrors: errors
        )
    }

    /// For auto-capture's threshold: the route's request count and p95 in the window, nil if the
    /// route has no request in the window.
    public func latency(method: String, route: String) -> (count: Int, p95Nanoseconds: UInt64)? {
        let now = clock()
        let key = RouteKey(method: method, route: route)
        let parts = state.withLock { state in liveBuckets(in: state, now: now).compactMap { $0.routes[key] } }
        guard let merged = LatencyTotal.sum(parts) else { return nil }
        return (merged.count, merged.percentileNanoseconds(95))
    }

    private func liveBuckets(in state: State, now: UInt64) -> [MinuteBucket] {
        let minute = now / 60_000_000_000
        return state.buckets.filter { $0.minute <= minute && minute - $0.minute < UInt64(windowMinutes) }
    }

    /// The time the live buckets span: the window's full minutes before the current one plus
    /// the part of the current minute gone by (14 minutes and some seconds with the default
    /// window, not 15), and no more than has elapsed since the store started (or since a step
    /// back of the clock to before that), so a fresh server's requests per second is not
    /// diluted over 15 empty minutes. At least ``shortestCoveredSeconds``. A clock stepped
    /// back before that start, with no request recorded since, covers nothing (not a
    /// wrapped-around difference).
    private func coveredSeconds(now: UInt64, countingSince: UInt64) -> Double {
        let elapsed = now >= countingSince ? Double(now - countingSince) / 1e9 : 0
        let spanned = Double((windowMinutes - 1) * 60) + Double(now % 60_000_000_000) / 1e9
        return max(Self.shortestCoveredSeconds, min(spanned, elapsed))
    }

    /// The least time requests per second is divided by: a tenth of a second. A one-minute
    /// window covers only what has gone by of the current minute, and a fresh store what has
    /// gone by since its start; a floor of a whole second divided the requests of the first
    /// 0.3 s by 1 s, 30% of the rate. Below a tenth the count is too small to say a rate (at
    /// 100 requests a second, 10 requests, give or take 3) and a lone request would read as
    /// hundreds or thousands a second; at a tenth it reads as 10, and the rate is understated
    /// for a tenth of a second of each minute only.
    static let shortestCoveredSeconds = 0.1
}
