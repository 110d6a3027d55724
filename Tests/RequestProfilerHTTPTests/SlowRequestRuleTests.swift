import RequestMetrics
import Testing
@testable import RequestProfilerHTTP

/// The p95 rule of auto-capture without a sampler: a route's unprofiled requests in a stats
/// store, its profiled ones in ``ProfiledDurations``, and which durations count as slow.
@Suite("Slow-request rule")
struct SlowRequestRuleTests {
    private let milliseconds: UInt64 = 1_000_000

    /// A stats store holding `count` requests of `GET /hello` that took `duration` each.
    private func stats(count: Int, duration: UInt64) -> StatsStore {
        let store = StatsStore()
        for _ in 0..<count {
            store.record(method: "GET", route: "/hello", status: 200, durationNanoseconds: duration, failed: false)
        }
        return store
    }

    @Test func profiledRequestsAreComparedWithEachOtherOnceThereAre20() {
        // Unprofiled requests take 1 ms; being profiled makes every one take about 5 ms, as on
        // a saturated server: slower than the route's p95, yet none of them is slow.
        let store = stats(count: 100, duration: 1 * milliseconds)
        let rule = SlowRequestRule(fixedThreshold: nil, shortestKept: .milliseconds(1))
        let profiled = ProfiledDurations()
        var kept: [Int] = []
        for index in 0..<60 {
            let duration = (index == 45 ? 40 : 5) * milliseconds + UInt64(index % 7) * 10_000
            let earlier = profiled.p95ThenRecord(method: "GET", route: "/hello", durationNanoseconds: duration)
            if rule.isSlow(durationNanoseconds: duration, method: "GET", route: "/hello", stats: store, profiled: earlier) {
                kept.append(index)
            }
        }
        // The first 20 have only the unprofiled p95 to go by, and are kept; from then on only the
        // one that is slow among profiled requests too.
        #expect(kept == Array(0..<20) + [45])
    }

    @Test func aRequestMustAlsoBeSlowerThanTheUnprofiledP95() {
        let store = stats(count: 100, duration: 30 * milliseconds)
        let rule = SlowRequestRule(fixedThreshold: nil)
        // Slower than every earlier profiled request, faster than the route's p95.
        let profiled = (count: 50, p95Nanoseconds: 2 * milliseconds)
        #expect(!rule.isSlow(durationNanoseconds: 20 * milliseconds, method: "GET", route: "/hello", stats: store, profiled: profiled))
        #expect(rule.isSlow(durationNanoseconds: 40 * milliseconds, method: "GET", route: "/hello", stats: store, profiled: profiled))
    }

    @Test func aFixedThresholdIgnoresBothPercentiles() {
        let rule = SlowRequestRule(fixedThreshold: .milliseconds(250))
        let store = stats(count: 100, duration: 500 * milliseconds)
        let profiled = (count: 50, p95Nanoseconds: 900 * milliseconds)
        #expect(rule.isSlow(durationNanoseconds: 251 * milliseconds, method: "GET", route: "/hello", stats: store, profiled: profiled))
        #expect(!rule.isSlow(durationNanoseconds: 250 * milliseconds, method: "GET", route: "/hello", stats: store, profiled: profiled))
    }

    /// A shortest kept duration out of range, given in code, is clamped instead of trapping
    /// (a negative one and one of `Int64.max` seconds took the server down at start).
    @Test func aShortestKeptDurationOutOfRangeIsClamped() {
        let store = stats(count: 100, duration: 1 * milliseconds)
        let negative = SlowRequestRule(fixedThreshold: nil, shortestKept: .milliseconds(-1))
        #expect(negative.shortestKept == 0)
        #expect(negative.isSlow(durationNanoseconds: 2 * milliseconds, method: "GET", route: "/hello", stats: store))
        let endless = SlowRequestRule(fixedThreshold: nil, shortestKept: .seconds(Int64.max))
        #expect(endless.shortestKept == .max)
        #expect(!endless.isSlow(durationNanoseconds: 3_600_000 * milliseconds, method: "GET", route: "/hello", stats: store))
        #expect(SlowRequestRule(fixedThreshold: nil, shortestKept: .nanoseconds(-1)).shortestKept == 0)
        #expect(SlowRequestRule(fixedThreshold: nil, shortestKept: .seconds(-1.5)).shortestKept == 0)
        #expect(SlowRequestRule(fixedThreshold: nil, shortestKept: .milliseconds(1500)).shortestKept == 1_500 * milliseconds)
    }

    /// Only the profiles of the stats window count: an incident's slow profiles on a quiet
    /// route held later slow requests below their p95 until 100 newer ones came (days).
    @Test func profiledDurationsOlderThanTheWindowNoLongerCount() {
        let durations = ProfiledDurations()
        let minute: UInt64 = 60_000_000_000, window = 15 * minute
        for index in 0..<20 {
            _ = durations.p95ThenRecord(method: "GET", route: "/a", durationNanoseconds: index < 2 ? 3_000 * milliseconds : 5 * milliseconds, at: 0, window: window)
        }
        let during = durations.p95ThenRecord(method: "GET", route: "/a", durationNanoseconds: 5 * milliseconds, at: 10 * minute, window: window)
        #expect(during?.count == 20 && during?.p95Nanoseconds == 3_000 * milliseconds)
        // A day later none of them counts: the 800 ms request is judged by the route's p95 alone.
        let later = durations.p95ThenRecord(method: "GET", route: "/a", durationNanoseconds: 800 * milliseconds, at: 24 * 60 * minute, window: window)
        #expect(later == nil)
    }

    @Test func profiledDurationsKeepTheLast100PerRoute() {
        let durations = ProfiledDurations()
        #expect(durations.p95ThenRecord(method: "GET", route: "/a", durationNanoseconds: 7) == nil)
        // 150 more: 1...150. The last 100 are 51...150 (plus nothing older), whose p95 is 145.
        var last: (count: Int, p95Nanoseconds: UInt64)?
        for value in UInt64(1)...150 { last = durations.p95ThenRecord(method: "GET", route: "/a", durationNanoseconds: value) }
        let before = durations.p95ThenRecord(method: "GET", route: "/a", durationNanoseconds: 0)
        #expect(last?.count == 100)
        #expect(before?.count == 100)
        #expect(before?.p95Nanoseconds == 145)
        // Routes and methods are kept apart.
        #expect(durations.p95ThenRecord(method: "POST", route: "/a", durationNanoseconds: 1) == nil)
        #expect(durations.p95ThenRecord(method: "GET", route: "/b", durationNanoseconds: 1) == nil)
    }

    @Test func nearestRankPercentile() {
        #expect(ProfiledDurations.percentile95([5]) == 5)
        #expect(ProfiledDurations.percentile95(Array(1...20)) == 19)
        #expect(ProfiledDurations.percentile95(Array((1...100).reversed())) == 95)
    }
}
