import Dispatch
import Synchronization
import Testing

@testable import RequestProfiler

/// A task can go on preferring a session's executor after the session has ended: a task-group
/// child added inside the preference's scope to a group made outside it inherits the
/// preference and outlives the scope. The runtime holds preferences unowned, so an executor
/// must never be freed: its straggler jobs run on the global executor, and the executor serves
/// later sessions.
@Suite(.serialized)
struct StaleExecutorPreferenceTests {
    @Test func aTaskPreferringAnEndedSessionsExecutorStillRunsAndTheExecutorIsReused() async throws {
        // Held only until its session ends: from then on only the pool (and the child's
        // unowned preference) refer to it.
        var executor: SampledThreadExecutor? = try SampledThreadExecutorPool.take(onIdle: { _ in }, onEnqueue: { _ in })
        let identity = ObjectIdentifier(executor!)
        let started = AsyncGate(), sessionOver = AsyncGate()
        // The gates wait without a time limit: a regression that never runs the child, or
        // never forwards it off the ended executor, ends the run with this test's name
        // instead of hanging it.
        let watchdog = Watchdog(seconds: 120, "a task preferring an ended session's executor")
        defer { watchdog.disarm() }
        let resumed = await withTaskGroup(of: Bool.self, returning: Bool.self) { group in
            await withTaskExecutorPreference(executor!) {
                group.addTask {
                    started.open()
                    // Suspended until the session has ended: its resumption, and every hop
                    // after it, goes to the ended session's executor first.
                    await sessionOver.wait()
                    await Task.yield()
                    return true
                }
            }
            // The session ends while its child, which has run, waits.
            await started.wait()
            await executor!.stopAndAwaitRelease()
            executor!.sessionEnded()
            executor = nil
            sessionOver.open()
            return await group.next() ?? false
        }
        #expect(resumed)
        // The spare executor serves the next session rather than a new one being made.
        let next = try SampledThreadExecutorPool.take(onIdle: { _ in }, onEnqueue: { _ in })
        #expect(ObjectIdentifier(next) == identity)
        await next.stopAndAwaitRelease()
        next.sessionEnded()
    }

    /// Two tasks of a session that stay runnable (children of a task group that yield): the
    /// queue never emptied at the moment a job was taken, so it grew by a slot for every job
    /// the request ran, and the pooled executor kept that storage for good.
    @Test func theJobQueueStaysSmallWhileTwoTasksKeepYielding() async throws {
        let executor = try SampledThreadExecutorPool.take(onIdle: { _ in }, onEnqueue: { _ in })
        let largest = LargestSeen()
        await withTaskExecutorPreference(executor) {
            await withTaskGroup(of: Void.self) { group in
                for child in 0..<2 {
                    group.addTask {
                        for index in 0..<50_000 {
                            await Task.yield()
                            // Looked at while both children still run: emptied at the end, the
                            // queue would show nothing of how it grew.
                            if child == 0 && index % 1_000 == 0 {
                                let capacity = executor.queueCapacity
                                largest.note(capacity)
                            }
                        }
                    }
                }
            }
        }
        let capacityAfter = executor.queueCapacity
        await executor.stopAndAwaitRelease()
        executor.sessionEnded()
        let capacity = largest.value
        #expect(capacity <= 4 * SampledThreadExecutor.keptQueueCapacity, "the queue grew to room for \(capacity) jobs")
        #expect(capacityAfter <= SampledThreadExecutor.keptQueueCapacity, "the executor kept room for \(capacityAfter) jobs")
    }

    /// Many short sessions, some at the same time, each leaving stragglers behind (a child
    /// still sleeping after the session ended, an unstructured task re-entering the session
    /// after it ended, a continuation resumed from another thread), ended every way there is:
    /// stop, discard, or just dropped. None may crash, every straggler finishes, and no more
    /// executors are made than sessions were alive together.
    @Test func manyShortSessionsWithStragglersAllFinishOnAFewExecutors() async throws {
        let before = SampledThreadExecutorPool.madeCount
        let concurrent = 4
        let waves = 25
        var finished = 0
        for wave in 0..<waves {
            finished += await withTaskGroup(of: Int.self, returning: Int.self) { sessions in
                for index in 0..<concurrent {
                    sessions.addTask { await Self.shortSession(ending: (wave + index) % 3) }
                }
                return await sessions.reduce(0, +)
            }
        }
        #expect(finished == waves * concurrent * 2)
        let made = SampledThreadExecutorPool.madeCount - before
        // A session lives until its stragglers let go of it, a few ms past its wave.
        #expect(made <= 2 * concurrent, "\(made) executors made for \(concurrent) sessions at a time")
    }

    /// A straggler that keeps itself runnable (a loop of `Task.yield()`) lands on its executor's
    /// next session once the executor is reused. Stopping that session must not wait for the
    /// straggler: the run loop ends only with an empty queue, and the straggler re-queued itself
    /// there with every yield, so the stop never returned (nor the request that awaited it).
    @Test func aStragglerThatKeepsYieldingDoesNotHoldTheNextSessionsStop() async throws {
        var executor: SampledThreadExecutor? = try SampledThreadExecutorPool.take(onIdle: { _ in }, onEnqueue: { _ in })
        let identity = ObjectIdentifier(executor!)
        let quit = QuitFlag()
        let stopped = QuitFlag()
        await withTaskGroup(of: Void.self) { group in
            await withTaskExecutorPreference(executor!) {
                group.addTask {
                    while !quit.isSet { await Task.yield() }
                }
            }
            await executor!.stopAndAwaitRelease()
            executor!.sessionEnded()
            executor = nil
            // The straggler spins on the global executor; the next session gets its executor.
            guard let next = try? SampledThreadExecutorPool.take(onIdle: { _ in }, onEnqueue: { _ in }) else {
                Issue.record("no executor")
                quit.set()
                return
            }
            #expect(ObjectIdentifier(next) == identity)
            // The next session's own work; meanwhile the straggler's yields come to its thread.
            await withTaskExecutorPreference(next) {
                for _ in 0..<200 { await Task.yield() }
            }
            let stopping = Task {
                await next.stopAndAwaitRelease()
                stopped.set()
            }
            let deadline = ContinuousClock.now + .seconds(5)
            while !stopped.isSet && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(5)) }
            #expect(stopped.isSet, "the stop waited for a straggler of an earlier session")
            quit.set()  // lets a stuck stop finish, so that the test ends either way
            await stopping.value
            next.sessionEnded()
        }
    }

    /// One session whose stragglers outlive it; returns how many of them finished (2).
    private static func shortSession(ending: Int) async -> Int {
        await withTaskGroup(of: Int.self, returning: Int.self) { group in
            guard let session = try? Profiler().start() else { return 0 }
            let reentered = await session.run { () -> Task<Int, Never> in
                group.addTask {
                    try? await Task.sleep(nanoseconds: 5_000_000)
                    await Task.yield()
                    return 1
                }
                let current = ProfilingSession.current
                let reentry = Task {
                    try? await Task.sleep(nanoseconds: 3_000_000)
                    return await current?.run { await Task.yield(); return 1 } ?? 0
                }
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(1)) { continuation.resume() }
                }
                _ = busyAlpha(milliseconds: 1)
                if ending != 2 { session.endRuns() }
                return reentry
            }
            switch ending {
            case 0: _ = await session.stop()
            case 1: await session.discard()
            default: break  // dropped: deinit lets everything go
            }
            var count = await reentered.value
            for await value in group { count += value }
            return count
        }
    }
}

/// Opened once; a task that waits before then is suspended until it is opened.
/// Ends the test process, naming what did not finish, when `seconds` pass before
/// ``disarm()``: a continuation that is never resumed cannot be cancelled, and a hung CI run
/// says nothing.
private final class Watchdog: Sendable {
    private let finished = Atomic<Bool>(false)

    init(seconds: Int, _ what: String) {
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(seconds)) { [self] in
            if !finished.load(ordering: .acquiring) { fatalError("\(what): not done after \(seconds) s") }
        }
    }

    func disarm() { finished.store(true, ordering: .releasing) }
}

private final class AsyncGate: Sendable {
    private let state = Synchronization.Mutex((isOpen: false, waiters: [CheckedContinuation<Void, Never>]()))

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isOpen = state.withLock { state in
                if !state.isOpen { state.waiters.append(continuation) }
                return state.isOpen
            }
            if isOpen { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// Set once, read from other tasks.
private final class QuitFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}

/// The largest of the values noted, from any task.
final class LargestSeen: Sendable {
    private let largest = Synchronization.Mutex(0)
    func note(_ value: Int) { largest.withLock { $0 = max($0, value) } }
    var value: Int { largest.withLock { $0 } }
}
