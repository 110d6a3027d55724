import CSampler
import Testing

@testable import RequestProfiler

#if canImport(Glibc)
import Glibc
#endif

/// `endRuns()` hands the sampled thread back to the pool as the last run's work returns, so
/// that the `stop()` or `discard()` after it need not wake the thread and wait for it.
@Suite(.serialized)
struct SessionThreadReleaseTests {
    @Test func theLastRunHandsTheThreadBackBeforeStop() async throws {
        let session = try Profiler().start()
        let thread = await session.run {
            defer { session.endRuns() }
            _ = busyAlpha(milliseconds: 20)
            return Self.currentThreadID()
        }
        // Not stopped yet, and the thread is back in the pool all the same.
        #expect(await Self.becomesFree(thread))
        let profile = await session.stop()
        #expect(profile.samples(through: "busyAlpha").count > 0)
    }

    @Test func withoutEndRunsTheThreadStaysWithItsSessionUntilStop() async throws {
        let session = try Profiler().start()
        let thread = await session.run { Self.currentThreadID() }
        usleep(50_000)
        #expect(!Self.isFree(thread))
        await session.discard()
        #expect(await Self.becomesFree(thread))
    }

    @Test func aRunAfterEndRunsStillCompletes() async throws {
        let session = try Profiler().start()
        _ = await session.run {
            defer { session.endRuns() }
            return busyAlpha(milliseconds: 2)
        }
        // A late run (a framework's straggling hop) is not stranded: it runs on the global executor.
        let value = await session.run { 42 }
        #expect(value == 42)
        _ = await session.stop()
    }

    static func currentThreadID() -> pid_t {
        var tid: pid_t = 0
        var low: UInt = 0, high: UInt = 0
        _ = rp_current_thread_info(&tid, &low, &high)
        return tid
    }

    /// Whether the thread has left its session: parked in the pool, or exited because the pool
    /// was full (tests running in parallel may have filled it).
    static func isFree(_ thread: pid_t) -> Bool {
        SampledThreadPool.parkedThreadIDs.contains(thread) || access("/proc/self/task/\(thread)", F_OK) != 0
    }

    /// Polls for up to ten seconds: the thread leaves right after its job returns, but on a
    /// loaded machine it may wait a while for a CPU.
    static func becomesFree(_ thread: pid_t) async -> Bool {
        for _ in 0..<1_000 {
            if isFree(thread) { return true }
            usleep(10_000)
        }
        return false
    }
}
