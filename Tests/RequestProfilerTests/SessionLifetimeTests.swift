import Synchronization
import Testing

@testable import RequestProfiler

/// A task started inside a profiled handler inherits `ProfilingSession.current`, and may
/// outlive the request by minutes (a timeout, a background refresher started on first use).
/// It must not keep the session alive: the built profile, its await records, and the sampled
/// thread's executor, which then never went back to its pool.
@Suite(.serialized)
struct SessionLifetimeTests {
    /// Weakly holds what it is given, from any task.
    private final class WeakSession: Sendable {
        private let box = Mutex<Weak>(Weak())
        private struct Weak { weak var session: ProfilingSession? }
        func set(_ session: ProfilingSession?) { box.withLock { $0.session = session } }
        var isAlive: Bool { box.withLock { $0.session != nil } }
    }

    @Test func aTaskStartedInsideOutlivesTheSessionWithoutKeepingIt() async throws {
        let seen = WeakSession()
        let sleepers = Mutex<[Task<Bool, Never>]>([])
        _ = try await Profiler().profile {
            seen.set(ProfilingSession.current)
            let sleeper = Task {
                try? await Task.sleep(for: .seconds(600))
                return ProfilingSession.current == nil
            }
            sleepers.withLock { $0.append(sleeper) }
            return busyAlpha(milliseconds: 2)
        }
        // The session's last holders (its finishing task) let go a moment after stop returns.
        let deadline = ContinuousClock.now + .seconds(10)
        while seen.isAlive && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(!seen.isAlive, "the sleeping task kept the ended session alive")
        let sleeper = try #require(sleepers.withLock { $0.first })
        sleeper.cancel()
        #expect(await sleeper.value, "the task sees no session once it has ended")
    }

    /// Many profiled requests each leaving such a task behind: their executors go back to the
    /// pool and serve the next ones, instead of one made per request.
    @Test func executorsAreReusedWhileTheirSessionsTasksStillRun() async throws {
        let before = SampledThreadExecutorPool.madeCount
        let sleepers = Mutex<[Task<Void, Never>]>([])
        for _ in 0..<40 {
            _ = try await Profiler().profile {
                let sleeper = Task { _ = try? await Task.sleep(for: .seconds(600)) }
                sleepers.withLock { $0.append(sleeper) }
                return busyAlpha(milliseconds: 1)
            }
        }
        let made = SampledThreadExecutorPool.madeCount - before
        for sleeper in sleepers.withLock({ $0 }) { sleeper.cancel() }
        #expect(made <= 4, "\(made) executors made for 40 sessions one after another")
    }
}
