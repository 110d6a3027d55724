import DedicatedThreads
import Foundation
import Testing
@testable import RequestProfilerHTTP

@Suite("Heap trimmer: free memory goes back once profiling is quiet")
struct HeapTrimmerTests {
    /// Polls `condition` for up to five seconds (this machine is shared and can be slow).
    private func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<100 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    @Test func trimsOnceAfterABurstAndNotWhileAProfileRuns() async throws {
        let limiter = ConcurrencyLimiter(limit: 4)
        let builder = ReportBuildThread()
        let trimmer = HeapTrimmer(limiter: limiter, quietNanoseconds: 100_000_000, builder: builder)
        // A profile is running: reports built meanwhile wait for it.
        #expect(limiter.tryAcquire())
        for _ in 0..<20 { trimmer.reportBuilt() }
        try await Task.sleep(for: .milliseconds(400))
        #expect(trimmer.trims.load(ordering: .relaxed) == 0, "trimmed while a profile was running")
        limiter.release()
        #expect(await eventually { trimmer.trims.load(ordering: .relaxed) == 1 }, "no trim once quiet")
        // On the thread reports are built on: never during a build, never on a request thread.
        #expect(builder.jobsRun > 0)
        // The burst was one trim, not twenty; a later report schedules another.
        try await Task.sleep(for: .milliseconds(300))
        #expect(trimmer.trims.load(ordering: .relaxed) == 1)
        trimmer.reportBuilt()
        #expect(await eventually { trimmer.trims.load(ordering: .relaxed) == 2 })
    }

    @Test func aProfiledRequestSchedulesATrim() async throws {
        let core = RequestProfilingCore(settings: ProfilingSettings(isEnabled: true))
        _ = try await CoreRequest(path: "/users/1", query: "profile=1&profile_format=json").response(from: core)
        #expect(await eventually { core.heapTrimmer.trims.load(ordering: .relaxed) == 1 })
    }
}
