import Testing

@testable import RequestMetrics

@Suite struct StatsStoreTests {
    private let millisecond: UInt64 = 1_000_000

    /// HdrHistogram at two significant digits keeps values within 1%.
    private func isClose(_ value: UInt64, to expected: UInt64, tolerance: Double = 0.011) -> Bool {
        abs(Double(value) - Double(expected)) <= Double(expected) * tolerance
    }

    @Test func percentilesOfAUniformDistribution() {
        let clock = ManualClock()
        let store = StatsStore(clock: { clock.now })
        for value in (1...10_000).shuffled() {
            store.record(method: "GET", route: "/u", status: 200, durationNanoseconds: UInt64(value) * millisecond, failed: false)
        }
        let snapshot = store.snapshot()
        #expect(snapshot.overall.count == 10_000)
        #expect(isClose(snapshot.overall.p50Nanoseconds, to: 5_000 * millisecond))
        #expect(isClose(snapshot.overall.p95Nanoseconds, to: 9_500 * millisecond))
        #expect(isClose(snapshot.overall.p99Nanoseconds, to: 9_900 * millisecond))
        #expect(snapshot.routes.map(\.route) == ["/u"])
        #expect(snapshot.routes[0].summary == snapshot.overall)
        let latency = store.latency(method: "GET", route: "/u")
        #expect(latency?.count == 10_000)
        #expect(latency.map { isClose($0.p95Nanoseconds, to: 9_500 * millisecond) } == true)
        #expect(store.latency(method: "POST", route: "/u") == nil)
    }

    @Test func countsErrorsAndRatesPerRoute() {
        let clock = ManualClock()
        let store = StatsStore(clock: { clock.now })
        clock.advance(by: .seconds(100))
        for index in 0..<200 {
            store.record(method: "GET", route: "/a", status: index < 20 ? 500 : 200, durationNanoseconds: millisecond, failed: index < 20)
        }
        for _ in 0..<100 {
            store.record(method: "POST", route: "/a", status: 201, durationNanoseconds: 3 * millisecond, failed: false)
        }
        let snapshot = store.snapshot()
        #expect(snapshot.windowSeconds == 900)
        #expect(snapshot.overall.count == 300)
        #expect(snapshot.overall.errors == 20)
        #expect(abs(snapshot.overall.errorRate - 20.0 / 300) < 1e-12)
        #expect(abs(snapshot.overall.requestsPerSecond - 3.0) < 1e-9)  // 300 requests over 100 s elapsed
        #expect(snapshot.routes.map(\.method) == ["GET", "POST"])
        #expect(snapshot.routes[0].summary.errorRate == 0.1)
        #expect(snapshot.routes[1].summary.errors == 0)
        #expect(isClose(snapshot.routes[1].summary.p50Nanoseconds, to: 3 * millisecond))
    }

    @Test func requestsLeaveTheWindow() {
        let clock = ManualClock()
        let store = StatsStore(window: .seconds(300), clock: { clock.now })
        store.record(method: "GET", route: "/old", status: 200, durationNanoseconds: millisecond, failed: false)
        clock.advance(by: .seconds(180))
        store.record(method: "GET", route: "/new", status: 200, durationNanoseconds: millisecond, failed: false)
        #expect(store.snapshot().overall.count == 2)
        clock.advance(by: .seconds(150))  // /old is now 330 s old, /new 150 s
        let snapshot = store.snapshot()
        #expect(snapshot.overall.count == 1)
        #expect(snapshot.routes.map(\.route) == ["/new"])
        #expect(store.latency(method: "GET", route: "/old") == nil)
        clock.advance(by: .seconds(400))
        #expect(store.snapshot().overall.count == 0)
        #expect(store.snapshot().overall.p95Nanoseconds == 0)
        // A reused slot starts empty.
        store.record(method: "GET", route: "/again", status: 200, durationNanoseconds: millisecond, failed: false)
        #expect(store.snapshot().routes.map(\.route) == ["/again"])
    }

    /// A wall clock that ran fast and was stepped back: the slots filled before the step hold
    /// minutes and seconds "from the future". They took no new request (only older ones were
    /// thought stale), so the dashboard stayed blank, and auto-capture kept nothing, for as
    /// long as the step.
    @Test func aClockSteppedBackKeepsCounting() {
        let clock = ManualClock()
        let store = StatsStore(clock: { clock.now })
        // Every minute of the window filled, then the clock stepped back past all of them.
        for _ in 0..<15 {
            store.record(method: "GET", route: "/a", status: 200, durationNanoseconds: 1_000_000, failed: false)
            clock.advance(by: .seconds(60))
        }
        clock.stepBack(by: .seconds(30 * 60))
        for _ in 0..<3 { store.record(method: "GET", route: "/a", status: 200, durationNanoseconds: 2_000_000, failed: false) }
        clock.advance(by: .seconds(1))  // the sparkline draws whole seconds
        let snapshot = store.snapshot()
        #expect(snapshot.overall.count == 3)
        #expect(store.latency(method: "GET", route: "/a")?.count == 3)
        #expect(snapshot.sparkline.last == 3)
        // A request recorded late (its time earlier than the clock's) still never wipes a newer slot.
        clock.advance(by: .seconds(15 * 60))
        store.record(method: "GET", route: "/a", status: 200, durationNanoseconds: 1, failed: false)
        store.record(method: "GET", route: "/a", durationNanoseconds: 1, failed: false, at: clock.now - 15 * 60 * 1_000_000_000)
        #expect(store.snapshot().overall.count == 1)
    }

    @Test func sparklineCountsRequestsPerSecondOfTheLastMinute() {
        let clock = ManualClock()
        let store = StatsStore(clock: { clock.now })
        func record(_ count: Int) {
            for _ in 0..<count { store.record(method: "GET", route: "/", status: 200, durationNanoseconds: 1, failed: false) }
        }
        record(5)  // will be 71 s old: outside the sparkline
        clock.advance(by: .seconds(10))
        record(3)  // 61 s old at the end: just outside
        clock.advance(by: .seconds(1))
        record(4)  // 60 s old: the first point
        clock.advance(by: .seconds(58))
        record(2)  // 2 s old
        clock.advance(by: .seconds(1))
        record(6)  // 1 s old: the last point
        clock.advance(by: .seconds(1))
        record(7)  // now: the current second, still running, is not drawn
        let sparkline = store.snapshot().sparkline
        #expect(sparkline.count == 60)
        #expect(sparkline[0] == 4)
        #expect(sparkline[58] == 2)
        #expect(sparkline[59] == 6)
        #expect(sparkline.reduce(0, +) == 12)
    }

    @Test func recentErrorRingKeepsTheNewestFirst() {
        let clock = ManualClock()
        let store = StatsStore(recentErrorCapacity: 100, clock: { clock.now })
        for index in 0..<250 {
            store.record(
                RecentError(
                    timestampNanoseconds: UInt64(index), method: "GET", route: "/e", status: 500,
                    exceptionType: "E", exceptionValue: "\(index)"))
        }
        let errors = store.snapshot().recentErrors
        #expect(errors.count == 100)
        #expect(errors.map(\.timestampNanoseconds) == (150..<250).reversed().map { UInt64($0) })

        let small = StatsStore(recentErrorCapacity: 3, clock: { clock.now })
        for index in 0..<2 {
            small.record(RecentError(timestampNanoseconds: UInt64(index), method: "GET", route: "/", status: 500, exceptionType: "E", exceptionValue: ""))
        }
        #expect(small.snapshot().recentErrors.map(\.timestampNanoseconds) == [1, 0])
    }

    /// Settings made in code are not parsed like the environment's, so the store bounds them
    /// itself: before, `.seconds(Int64.max)` trapped on an overflow and `Int.max` errors
    /// trapped on the reservation.
    @Test func absurdWindowsAndErrorCapacitiesAreBoundedInsteadOfTrapping() {
        let clock = ManualClock()
        let longest = StatsStore(window: .seconds(Int64.max), recentErrorCapacity: .max, clock: { clock.now })
        #expect(longest.windowSeconds == 24 * 3600)
        #expect(StatsStore(window: .seconds(3 * 24 * 3600), clock: { clock.now }).windowSeconds == 24 * 3600)
        #expect(StatsStore(window: .seconds(-5), recentErrorCapacity: -1, clock: { clock.now }).windowSeconds == 60)
        #expect(StatsStore(window: .milliseconds(60_001), clock: { clock.now }).windowSeconds == 120)

        for index in 0..<3 {
            longest.record(method: "GET", route: "/a", status: 500, durationNanoseconds: millisecond, failed: true)
            longest.record(RecentError(timestampNanoseconds: UInt64(index), method: "GET", route: "/a", status: 500, exceptionType: "E", exceptionValue: ""))
        }
        clock.advance(by: .seconds(23 * 3600))  // still inside a day's window
        let snapshot = longest.snapshot()
        #expect(snapshot.overall.count == 3)
        #expect(snapshot.recentErrors.map(\.timestampNanoseconds) == [2, 1, 0])
    }
}

@Suite struct StatsStoreWindowTests {
    /// A steady load of one request a second, for `seconds`.
    private func recordOneASecond(_ store: StatsStore, _ clock: ManualClock, for seconds: Int) {
        for _ in 0..<seconds {
            store.record(method: "GET", route: "/", status: 200, durationNanoseconds: 1_000, failed: false)
            clock.advance(by: .seconds(1))
        }
    }

    /// The live buckets span 14 full minutes and the current one's seconds: requests per second
    /// divides by that, not by the 15 minutes of the window, and stays steady across a minute's
    /// turn.
    @Test func requestsPerSecondOfASteadyLoadStaysSteady() {
        let clock = ManualClock()
        let store = StatsStore(clock: { clock.now })
        recordOneASecond(store, clock, for: 1_200)
        // 1,200 s gone: the clock is on a minute's turn, 14 minutes and 0 s are live.
        #expect(abs(store.snapshot().overall.requestsPerSecond - 1) < 0.01, "\(store.snapshot().overall)")
        recordOneASecond(store, clock, for: 30)
        #expect(abs(store.snapshot().overall.requestsPerSecond - 1) < 0.01, "\(store.snapshot().overall)")
    }

    /// A one-minute window holds the current minute alone: 0.3 s after its turn, the requests
    /// of those 0.3 s were divided by a floor of a whole second, and a steady 1,000 requests a
    /// second read as 300. The floor is now a tenth of a second, so that a lone request just
    /// after a turn reads as 10 a second, not as 1,000.
    @Test func requestsPerSecondJustAfterTheTurnOfAOneMinuteWindow() {
        let clock = ManualClock()  // on a minute's turn
        let store = StatsStore(window: .seconds(60), clock: { clock.now })
        clock.advance(by: .seconds(60))
        for _ in 0..<300 {
            clock.advance(by: .milliseconds(1))
            store.record(method: "GET", route: "/", status: 200, durationNanoseconds: 1_000, failed: false)
        }
        #expect(abs(store.snapshot().overall.requestsPerSecond - 1_000) < 1, "\(store.snapshot().overall)")
        clock.advance(by: .milliseconds(59_700 + 1))  // a millisecond after the next turn
        store.record(method: "GET", route: "/", status: 200, durationNanoseconds: 1_000, failed: false)
        #expect(store.snapshot().overall.count == 1)
        #expect(abs(store.snapshot().overall.requestsPerSecond - 10) < 1e-9, "\(store.snapshot().overall)")
    }

    /// A wall clock stepped back by less than the window: each minute and second it went
    /// through again found its slot holding the same minute or second, filled before the step,
    /// and added to it. Five minutes back, the window counted 19 minutes of requests as 14,
    /// and requests per second came out 36% too high; half a minute back, the sparkline drew
    /// those 30 seconds twice as high. What the step went back over is now emptied instead.
    @Test func aClockSteppedBackWithinTheWindowCountsNoRequestTwice() {
        let clock = ManualClock()  // on a minute's turn
        let store = StatsStore(clock: { clock.now })
        recordOneASecond(store, clock, for: 20 * 60)
        clock.stepBack(by: .seconds(5 * 60))
        recordOneASecond(store, clock, for: 5 * 60)
        // On a minute's turn again: 14 whole minutes live, each of 60 requests.
        let snapshot = store.snapshot()
        #expect(snapshot.overall.count == 14 * 60)
        #expect(abs(snapshot.overall.requestsPerSecond - 1) < 0.01, "\(snapshot.overall)")
        #expect(store.latency(method: "GET", route: "/")?.count == 14 * 60)
        clock.stepBack(by: .seconds(30))
        recordOneASecond(store, clock, for: 30)
        #expect(store.snapshot().sparkline == Array(repeating: 1, count: 60))
    }

    /// A request that began before a step back and ended after it is timed on the old clock,
    /// ahead of the new one: taken for the newest time, it would make every request after it
    /// look like a second step back, and empty the window again.
    @Test func aRequestTimedAcrossAStepBackDoesNotEmptyTheWindowAgain() {
        let clock = ManualClock()
        let store = StatsStore(clock: { clock.now })
        recordOneASecond(store, clock, for: 120)
        clock.stepBack(by: .seconds(300))
        recordOneASecond(store, clock, for: 30)
        store.record(method: "GET", route: "/across", durationNanoseconds: 1_000, failed: false, at: clock.now + 300_000_000_000)
        recordOneASecond(store, clock, for: 30)
        #expect(store.snapshot().overall.count == 60)
    }

    /// The wall clock stepped back to before the store started: the time it had covered came
    /// out as `now - start` wrapped around, and requests per second as nearly 0.
    @Test func aClockSteppedBackBeforeTheStartStillMeasuresRequestsPerSecond() {
        let clock = ManualClock()
        let store = StatsStore(clock: { clock.now })
        recordOneASecond(store, clock, for: 10)
        clock.stepBack(by: .seconds(60))
        recordOneASecond(store, clock, for: 10)
        // 10 requests in the 10 s since the step; those before it were counted on a clock
        // that no longer holds.
        let snapshot = store.snapshot()
        #expect(snapshot.overall.count == 10)
        #expect(abs(snapshot.overall.requestsPerSecond - 1) < 0.01, "\(snapshot.overall)")
    }

    /// A request recorded late, with a time whose slots now hold newer seconds and minutes,
    /// leaves the newer counts as they were.
    @Test func aLateRecordDoesNotWipeNewerCounts() {
        let clock = ManualClock()
        let store = StatsStore(window: .seconds(120), clock: { clock.now })
        let start = clock.now
        clock.advance(by: .seconds(125))
        for _ in 0..<3 {
            store.record(method: "GET", route: "/now", status: 200, durationNanoseconds: 1_000, failed: false)
        }
        // 122 s earlier than now: the same second slot (of 61) and the same minute slot (of 2).
        store.record(method: "GET", route: "/late", durationNanoseconds: 1_000, failed: false, at: start + 3_000_000_000)
        clock.advance(by: .seconds(1))  // the sparkline draws whole seconds
        let snapshot = store.snapshot()
        #expect(snapshot.sparkline[59] == 3)
        #expect(snapshot.overall.count == 3)
        #expect(snapshot.routes.map(\.route) == ["/now"])
    }
}
