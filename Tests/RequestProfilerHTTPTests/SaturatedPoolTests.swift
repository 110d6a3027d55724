import Foundation
import ProfilingScenarios
import RequestProfiler
import Testing
@testable import RequestProfilerHTTP

@inline(never) private func workWhilePoolIsBlocked(started: Flag) -> Int {
    started.set()
    var total = 0
    let deadline = ContinuousClock.now + .milliseconds(300)
    while ContinuousClock.now < deadline { for value in 0..<1_000 { total &+= value &* 7 } }
    return total
}

/// The cooperative thread pool saturated by handlers that block their threads (a synchronous
/// database driver, a sleep in the wrong place) while a request is being profiled: the profiled
/// request still completes with its report, nothing deadlocks, and the next request is served.
@Suite struct SaturatedPoolTests {
    @Test(.timeLimit(.minutes(1)))
    func profiledRequestCompletesWhileBlockersHoldEveryCooperativeThread() async throws {
        let core = RequestProfilingCore(settings: ProfilingSettings(isEnabled: true))
        let started = Flag()
        let blockers = ProcessInfo.processInfo.activeProcessorCount * 4
        let blocked = try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                let outcome = try await core.handle(
                    rawQuery: "profile=1&profile_format=json&profile_interval=0.1ms", header: { _ in nil },
                    method: "GET", path: "/busy", route: { "/busy" }, status: { _ in 200 },
                    next: { workWhilePoolIsBlocked(started: started) })
                guard case .replaced(let report) = outcome else {
                    Issue.record("expected a report")
                    return 0
                }
                #expect(report.status == 200)
                let json = try JSONDecoder().decode(JSONReport.self, from: Data(report.body))
                #expect(json.schema == JSONReport.schemaName)
                #expect(String(decoding: report.body, as: UTF8.self).contains("workWhilePoolIsBlocked"))
                return 0
            }
            try await started.wait()
            // Now block every cooperative thread, several times over, for 400 ms each.
            for _ in 0..<blockers {
                group.addTask {
                    usleep(400_000)
                    return 1
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(blocked == blockers)
        #expect(core.trigger.limiter.inFlight == 0)
        let plain = try await core.handle(
            rawQuery: "", header: { _ in nil }, method: "GET", path: "/", route: { "/" }, status: { _ in 200 },
            next: { 42 })
        guard case .original(let result, _) = plain else {
            Issue.record("a plain request is served as it is")
            return
        }
        #expect(try result.get() == 42)
    }
}
