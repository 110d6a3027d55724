import RequestMetrics
import ReportTestSupport
import Testing
@testable import RequestProfilerHTTP

/// Which requests an adapter whose chain is future-based (Vapor) may start without `handle`
/// and its task: those that need nothing else of the core, and auto-capture's draw.
@Suite struct FutureChainStartTests {
    private func start(_ core: RequestProfilingCore, path: String, query: String? = nil, route: String?) -> FutureChainStart? {
        core.startInFutureChain(rawQuery: query, header: { _ in nil }, method: "GET", path: path, route: { route })
    }

    private func isMeasured(_ start: FutureChainStart?) -> Bool {
        if case .measured? = start { return true }
        return false
    }

    @Test func aPlainRequestIsMeasuredWithoutHandle() throws {
        let core = RequestProfilingCore(settings: ProfilingSettings(
            isEnabled: true, metrics: MetricsSettings(isEnabled: true, exclusions: [try PathPattern(parsing: "/health")]),
            dashboard: DashboardSettings(prefix: "/_p")))
        defer { core.shutdownAndWait() }
        #expect(isMeasured(start(core, path: "/hello", route: "/hello")))
        if case .unmeasured? = start(core, path: "/health", route: "/health") {} else { Issue.record("an excluded path is passed through") }
        #expect(start(core, path: "/hello", query: "profile=1", route: "/hello") == nil, "a ?profile=1 needs handle")
        #expect(start(core, path: "/_p/metrics.json", route: nil) == nil, "a URL that may be the dashboard's needs handle")
        #expect(start(core, path: "/users/7", route: "/:id") == nil, "a route whose first part is a parameter may lie under the prefix")
    }

    /// With auto-capture on, the draw is made here: a request it does not pick is only
    /// measured, and one it picks holds a slot until `handle(automatic:)` has profiled it and
    /// kept its report, as `handle` would have.
    @Test func autoCaptureDrawsHereAndAPickedRequestIsProfiledByHandle() async throws {
        let reports = try ScratchDirectory("future-chain-auto")
        defer { reports.remove() }
        let core = RequestProfilingCore(settings: ProfilingSettings(
            outputDirectory: reports.path, maximumConcurrentProfiles: 1,
            autoCapture: AutoCaptureSettings(rate: 0.5, slowerThan: .nanoseconds(1), keepPerRoute: 100), random: .seeded(7)))
        var picked = 0
        var measured = 0
        for _ in 0..<30 {
            switch start(core, path: "/hello", route: "/hello") {
            case .automatic(let automatic)?:
                picked += 1
                if case .automatic? = start(core, path: "/hello", route: "/hello") {
                    Issue.record("a second request was picked while the only slot was held")
                }
                let outcome: ProfilingOutcome<String> = await core.handle(
                    automatic: automatic, path: "/hello", route: { "/hello" }, status: { _ in 200 },
                    next: { "hello \(busy(for: .milliseconds(3)))" })
                guard case .original(.success(let body), _) = outcome, body.hasPrefix("hello") else {
                    Issue.record("the handler's answer was not passed on: \(outcome)")
                    continue
                }
                // One save at a time: the background queue's bound is not what this tests.
                await core.autoCapture?.saves.waitUntilIdle()
            case .measured(let measurement)?:
                measured += 1
                core.finishMeasured(
                    measurement, result: Result<String, any Error>.success("hello"), route: { "/hello" }, status: { _ in 200 },
                    requestBytes: { nil }, responseBytes: { _ in 5 }, thrownError: { nil })
            default:
                Issue.record("a plain request was neither measured nor picked")
            }
        }
        #expect(picked > 0 && measured > 0, "rate 0.5 picked \(picked) of 30")
        await core.autoCapture?.saves.waitUntilIdle()
        let kept = core.profiles.all
        #expect(kept.count == picked, "every picked request was slower than 1 ns and kept")
        #expect(kept.allSatisfy { $0.route == "/hello" && $0.trigger == .auto })
        #expect(reports.files() == kept.map(\.file).sorted())
        await core.shutdown()
    }

    /// The slot a picked start holds is freed exactly once: by the `handle` that runs it, or
    /// when the start is dropped unrun; a start run twice runs its second `next` unprofiled and
    /// frees nothing another request holds.
    @Test func aPickedStartFreesItsSlotOnceWhetherRunDroppedOrRunTwice() async throws {
        let reports = try ScratchDirectory("future-chain-slot")
        defer { reports.remove() }
        let core = RequestProfilingCore(settings: ProfilingSettings(
            outputDirectory: reports.path, maximumConcurrentProfiles: 1,
            autoCapture: AutoCaptureSettings(rate: 1, slowerThan: .seconds(100))))
        let limiter = core.trigger.limiter
        do {
            let held = start(core, path: "/hello", route: "/hello")
            guard case .automatic? = held else {
                Issue.record("rate 1 picks every request")
                return
            }
            withExtendedLifetime(held) { #expect(limiter.inFlight == 1) }
        }
        #expect(limiter.inFlight == 0, "a dropped start frees its slot")

        guard case .automatic(let picked)? = start(core, path: "/hello", route: "/hello") else {
            Issue.record("the freed slot is taken again")
            return
        }
        let first: ProfilingOutcome<String> = await core.handle(
            automatic: picked, path: "/hello", route: { "/hello" }, status: { _ in 200 }, next: { "first" })
        #expect(limiter.inFlight == 0)
        #expect(limiter.tryAcquire(), "another request holds the slot now")
        let second: ProfilingOutcome<String> = await core.handle(
            automatic: picked, path: "/hello", route: { "/hello" }, status: { _ in 200 }, next: { "second" })
        #expect(limiter.inFlight == 1, "running the start again freed the other request's slot")
        limiter.release()
        guard case .original(.success("first"), _) = first, case .original(.success("second"), _) = second else {
            Issue.record("the handlers' answers were not passed on: \(first), \(second)")
            return
        }
        await core.shutdown()
    }

    @Test func withProfilingOffAProfileQueryIsOnlyMeasured() {
        let core = RequestProfilingCore(settings: ProfilingSettings(metrics: MetricsSettings(isEnabled: true)))
        defer { core.shutdownAndWait() }
        #expect(isMeasured(start(core, path: "/hello", query: "profile=1", route: "/hello")))
    }
}
