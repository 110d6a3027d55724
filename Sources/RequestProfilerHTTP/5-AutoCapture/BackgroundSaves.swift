import DedicatedThreads
import Dispatch
import Synchronization

/// Builds and saves kept automatic profiles one at a time, after their requests have been
/// answered: building a report (unwinding, symbolizing, rendering json, writing) takes 7 to
/// 40 ms (the first of a process 200 to 330 ms), which auto-capture must not add to a user's
/// request.
///
/// One job runs at a time, so a burst of slow requests costs one core's worth of building at
/// most. At most ``maximumQueued`` jobs wait; beyond that a job is refused (the caller drops
/// that profile and says so in the log), so the samples held by waiting jobs stay bounded.
/// ``waitUntilIdle()`` is what graceful shutdown and tests wait for.
///
/// Jobs run on ``builder`` (``ReportBuildThread``, a thread of its own), not on the
/// cooperative pool, whose one thread per core serves requests.
final class BackgroundSaves: Sendable {
    typealias Job = @Sendable () async -> Void

    static let maximumQueued = 16

    /// Where jobs run; a job that builds a profile passes it to `ProfilingSession.stop`.
    let builder: any TaskExecutor

    init(builder: any TaskExecutor = ReportBuildThread.shared) {
        self.builder = builder
    }

    private struct State {
        var queue: [Job] = []
        var running = false
        /// Set by ``hold()``: jobs queue up but none starts, until ``release()``.
        var held = false
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        var idleSemaphores: [DispatchSemaphore] = []
    }

    private let state = Mutex(State())

    /// Queues `job`; false when ``maximumQueued`` jobs already wait (then `job` never runs).
    func enqueue(_ job: @escaping Job) -> Bool {
        let queued = state.withLock { state in
            guard state.queue.count < Self.maximumQueued else { return false }
            state.queue.append(job)
            return true
        }
        if queued { startWorkerIfIdle() }
        return queued
    }

    /// Jobs queued or running.
    var pendingCount: Int {
        state.withLock { $0.queue.count + ($0.running ? 1 : 0) }
    }

    /// Returns once no job is queued or running (at once when none is).
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state in
                guard state.running || !state.queue.isEmpty else { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// ``waitUntilIdle()`` for at most `timeout` (0 to a day: `Task.sleep` traps on a deadline
    /// past its clock's range, and "wait for ever" set in code must not crash the shutdown);
    /// false when jobs were still pending then (a save stuck on a hung reports folder must not
    /// hold a graceful shutdown for good).
    func waitUntilIdle(atMost timeout: Duration) async -> Bool {
        let timeout = min(max(timeout, .zero), .seconds(86_400))
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let answer = FirstAnswer(continuation)
            Task { [self] in
                await waitUntilIdle()
                answer.give(true)
            }
            Task {
                try? await Task.sleep(for: timeout)
                answer.give(false)
            }
        }
    }

    /// Resumes a continuation with the first answer given, once.
    private final class FirstAnswer: Sendable {
        private let continuation: CheckedContinuation<Bool, Never>
        private let answered = Atomic<Bool>(false)

        init(_ continuation: CheckedContinuation<Bool, Never>) {
            self.continuation = continuation
        }

        func give(_ value: Bool) {
            guard !answered.exchange(true, ordering: .acquiringAndReleasing) else { return }
            continuation.resume(returning: value)
        }
    }

    /// ``waitUntilIdle()`` for a synchronous caller (Vapor's `app.shutdown()`), for at most
    /// `seconds`; false when jobs were still pending then.
    func waitUntilIdle(timeoutSeconds seconds: Double) -> Bool {
        let semaphore = DispatchSemaphore(value: 0)
        let idle = state.withLock { state in
            guard state.running || !state.queue.isEmpty else { return true }
            state.idleSemaphores.append(semaphore)
            return false
        }
        return idle || semaphore.wait(timeout: .now() + seconds) == .success
    }

    /// Lets jobs queue without starting any, until ``release()`` (tests: to look at a request
    /// whose profile is not saved yet).
    func hold() {
        state.withLock { $0.held = true }
    }

    func release() {
        state.withLock { $0.held = false }
        startWorkerIfIdle()
    }

    /// Starts the worker unless it runs, jobs are held or none is queued.
    private func startWorkerIfIdle() {
        let start = state.withLock { state in
            guard !state.running, !state.held, !state.queue.isEmpty else { return false }
            state.running = true
            return true
        }
        if start {
            Task.detached(executorPreference: builder) { [self] in await drain() }
        }
    }

    private func drain() async {
        while true {
            let next: Job? = state.withLock { state in
                guard !state.held, !state.queue.isEmpty else {
                    state.running = false
                    return nil
                }
                return state.queue.removeFirst()
            }
            guard let next else { break }
            await next()
        }
        let (waiters, semaphores) = state.withLock { state -> ([CheckedContinuation<Void, Never>], [DispatchSemaphore]) in
            guard !state.running, state.queue.isEmpty else { return ([], []) }
            defer { state.idleWaiters = []; state.idleSemaphores = [] }
            return (state.idleWaiters, state.idleSemaphores)
        }
        for waiter in waiters { waiter.resume() }
        for semaphore in semaphores { semaphore.signal() }
    }
}
