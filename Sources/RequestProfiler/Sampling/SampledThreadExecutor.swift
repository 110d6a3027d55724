import CSampler
#if canImport(Glibc)
import Glibc
#endif

/// A `TaskExecutor` that runs every job on one ``SampledThread``: the thread the sampler's
/// timer signals. Work entered with `withTaskExecutorPreference(executor)` stays on it across
/// awaits, `async let` and task-group children, so one thread's stacks are the whole request.
///
/// One executor serves one session at a time; the thread is borrowed from
/// ``SampledThreadPool`` and goes back to it when the session's work is done. A job that
/// arrives once the session is stopping (a straggler of a finished session) runs on the
/// global executor, never on the thread, which may already serve another session.
///
/// Executors are never freed: ``SampledThreadExecutorPool`` hands them out again. A task
/// executor preference does not keep its executor alive (the runtime holds it unowned), and a
/// task can go on preferring an executor after the session that made it has ended, so a freed
/// executor would be a use after free in whichever thread next resumed that task. CI crashed
/// that way twice (a global-executor thread enqueuing on an executor whose memory held a file
/// path). A spare executor forwards such a straggler to the global executor; once reused, it
/// runs it on its new session's thread (a stray stack in that profile, not a crash).
///
/// It also tells the sampler when the thread is idle (the profiled task is suspended), and
/// reports every enqueued job so the await recorder can read where the task was waiting.
final class SampledThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var stopping = false
    /// True while no session's run loop is running: between sessions, and once a session's
    /// loop has ended. Jobs that arrive then go to the global executor.
    private var finished = true
    /// Set once the thread has gone back to the pool (or exited): `shutdown()` waits for it, so
    /// that the next session finds the thread parked instead of starting another.
    private var released = false
    /// Set by ``sessionEnded()``: with ``released`` it lets the executor go back to its pool.
    private var sessionGone = false
    /// Tasks suspended in ``stopAndAwaitRelease()``; resumed by ``threadReleased()``.
    private var releaseWaiters: [CheckedContinuation<Void, Never>] = []
    private var thread: SampledThread?
    /// Whether the thread has been handed this session's run loop. Not at ``begin``: the
    /// thread is woken by the first job (or by a stop), so that it wakes once rather than
    /// twice (once to find no work, then again for the job).
    private var serving = false
    /// Called with `true` before the thread waits for work, `false` when it wakes.
    private var onIdle: @Sendable (Bool) -> Void = { _ in }
    /// Called, before it is queued, for a job enqueued while a session runs and its thread has
    /// nothing to run (no job running, none queued): the enqueue that ends an idle period.
    /// Jobs enqueued while the thread is busy (a `Task.yield()` loop re-queues itself from its
    /// own job) cannot end an idle period; recording them cost time and memory for nothing.
    private var onEnqueue: @Sendable (UnownedJob) -> Void = { _ in }
    /// Whether the run loop is running a job right now.
    private var runningJob = false

    /// A spare executor: serves no session until ``begin(onIdle:onEnqueue:)``. Made only by
    /// ``SampledThreadExecutorPool``.
    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    /// Takes a thread from the pool and starts serving a session on it.
    func begin(onIdle: @escaping @Sendable (Bool) -> Void, onEnqueue: @escaping @Sendable (UnownedJob) -> Void) throws {
        let thread = try SampledThreadPool.borrow()
        pthread_mutex_lock(mutex)
        precondition(finished && jobs.isEmpty, "an executor serves one session at a time")
        self.thread = thread
        self.onIdle = onIdle
        self.onEnqueue = onEnqueue
        runningJob = false
        stopping = false
        finished = false
        released = false
        sessionGone = false
        serving = false
        // Idle until the first job: the thread waits for it in the pool, not in ``runLoop``.
        onIdle(true)
        pthread_mutex_unlock(mutex)
    }

    /// The thread to hand the run loop to, the first time something needs it (mutex held).
    private func threadToServe() -> SampledThread? {
        guard !serving else { return nil }
        serving = true
        return thread
    }

    var info: SampledThread.Info {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return thread!.info
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        pthread_mutex_lock(mutex)
        if finished || stopping {
            // The session is over (or its work is done and the loop is ending) and the thread
            // may serve another: let the global executor run this straggler rather than strand
            // its task. Also while stopping: a straggler that keeps itself runnable (a loop
            // of `Task.yield()`, a busy stream) would otherwise re-queue itself here for ever,
            // and the run loop, which ends only once its queue is empty, with it.
            pthread_mutex_unlock(mutex)
            globalConcurrentExecutor.enqueue(ExecutorJob(unowned))
            return
        }
        if !runningJob && head >= jobs.count { onEnqueue(unowned) }
        jobs.append(unowned)
        let idleThread = threadToServe()
        pthread_mutex_unlock(mutex)
        // After unlocking, so that the woken thread does not block on the mutex at once.
        if let idleThread {
            idleThread.serve(self)
        } else {
            pthread_cond_signal(condition)
        }
    }

    /// Asks the run loop to end once its queue is empty, and waits for that (unless called
    /// from the thread itself, in which case the loop ends after the current job returns).
    /// Either way the thread then goes back to the pool.
    func shutdown() {
        guard requestStop() else { return }
        pthread_mutex_lock(mutex)
        while !released { pthread_cond_wait(condition, mutex) }
        pthread_mutex_unlock(mutex)
    }

    /// ``shutdown()`` for async callers: the caller's task is suspended until the thread is
    /// back in the pool, instead of its thread being blocked. On a busy server the sampled
    /// thread may wait milliseconds for a CPU, and a blocked thread of the cooperative pool
    /// (one per core) would stall other requests for as long.
    func stopAndAwaitRelease() async {
        guard requestStop() else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            pthread_mutex_lock(mutex)
            if released {
                pthread_mutex_unlock(mutex)
                continuation.resume()
                return
            }
            releaseWaiters.append(continuation)
            pthread_mutex_unlock(mutex)
        }
    }

    /// Asks the run loop to end once its queue is empty, without waiting: called from the
    /// thread at the end of a session's last job, so that the thread goes back to the pool as
    /// soon as that job returns. Otherwise the thread would park, and the later
    /// ``stopAndAwaitRelease()`` would cost two more wake-ups (the thread's, then the caller's).
    func stopWhenIdle() {
        _ = requestStop()
    }

    /// Asks the run loop to end once its queue is empty; false when called from the thread
    /// itself, which must not wait for its own release.
    private func requestStop() -> Bool {
        pthread_mutex_lock(mutex)
        stopping = true
        let thread = self.thread
        // A session stopped before any job still has its thread run the loop, which ends at
        // once and gives the thread back.
        let idleThread = threadToServe()
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
        idleThread?.serve(self)
        return !(thread?.isCurrent ?? false)
    }

    /// Called by the thread once it is back in the pool (or about to exit).
    func threadReleased() {
        pthread_mutex_lock(mutex)
        released = true
        let waiters = releaseWaiters
        releaseWaiters = []
        let spare = becomeSpareIfBothLetGo()
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
        for waiter in waiters { waiter.resume() }
        if spare { SampledThreadExecutorPool.giveBack(self) }
    }

    /// Called by the session once it no longer needs the executor (its thread info, its
    /// release): the executor goes back to its pool as soon as the thread has also let go.
    func sessionEnded() {
        pthread_mutex_lock(mutex)
        sessionGone = true
        let spare = becomeSpareIfBothLetGo()
        pthread_mutex_unlock(mutex)
        if spare { SampledThreadExecutorPool.giveBack(self) }
    }

    /// Once both the session and the thread have let go (mutex held), drops what the session
    /// lent (its thread, and its callbacks, which hold its sampler and await records); true
    /// when the executor may go back to its pool. Whichever side lets go last calls it.
    private func becomeSpareIfBothLetGo() -> Bool {
        guard released, sessionGone else { return false }
        thread = nil
        onIdle = { _ in }
        onEnqueue = { _ in }
        return true
    }

    /// Drops the jobs already taken from the front of the queue (mutex held). Emptied, the
    /// queue keeps its storage unless it grew large; while two tasks of a session stay
    /// runnable (a task group whose children yield, `async let` pairs) it never empties at the
    /// moment a job is taken, so it is also compacted once half of it has been run: else it
    /// grew by a slot for every job of the request, and a pooled executor kept the largest
    /// queue it ever had for good.
    private func compactQueue() {
        if head == jobs.count {
            jobs.removeAll(keepingCapacity: jobs.capacity <= Self.keptQueueCapacity)
            head = 0
        } else if head >= Self.keptQueueCapacity && head * 2 >= jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
    }

    /// The queue storage an executor keeps between jobs and sessions.
    static let keptQueueCapacity = 1_024

    /// The queue's storage, in jobs (tests).
    var queueCapacity: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return jobs.capacity
    }

    /// Runs jobs until `shutdown()`; called by the borrowed thread.
    func runLoop() {
        pthread_mutex_lock(mutex)
        onIdle(false)
        while true {
            if head < jobs.count {
                let job = jobs[head]
                head += 1
                compactQueue()
                runningJob = true
                pthread_mutex_unlock(mutex)
                job.runSynchronously(on: asUnownedTaskExecutor())
                pthread_mutex_lock(mutex)
                runningJob = false
                continue
            }
            if stopping { break }
            onIdle(true)
            pthread_cond_wait(condition, mutex)
            onIdle(false)
        }
        finished = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }
}
