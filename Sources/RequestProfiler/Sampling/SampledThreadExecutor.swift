import CSampler
#if canImport(Glibc)
import Glibc
#endif

/// A `TaskExecutor` that runs every job on one dedicated pthread: the thread the sampler's
/// timer signals. Work entered with `withTaskExecutorPreference(executor)` stays on it across
/// awaits, `async let` and task-group children, so one thread's stacks are the whole request.
///
/// It also tells the sampler when the thread is idle (the profiled task is suspended), and
/// reports every enqueued job so the await recorder can read where the task was waiting.
final class SampledThreadExecutor: TaskExecutor, @unchecked Sendable {
    /// Kernel thread id, stack bounds and CPU clock of the executor's thread.
    struct ThreadInfo: Sendable {
        var tid: pid_t
        var stackLow: UInt
        var stackHigh: UInt
        var cpuClock: clockid_t
    }

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var stopping = false
    private var finished = false
    private var thread: pthread_t?
    private var threadInfo: ThreadInfo?
    /// Called with `true` before the thread waits for work, `false` when it wakes.
    private let onIdle: @Sendable (Bool) -> Void
    /// Called for every job enqueued while the executor runs, before it is queued.
    private let onEnqueue: @Sendable (UnownedJob) -> Void

    init(onIdle: @escaping @Sendable (Bool) -> Void, onEnqueue: @escaping @Sendable (UnownedJob) -> Void) throws {
        self.onIdle = onIdle
        self.onEnqueue = onEnqueue
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        let box = Unmanaged.passRetained(self).toOpaque()
        var created = pthread_t()
        let result = pthread_create(&created, nil, { argument in
            let executor = Unmanaged<SampledThreadExecutor>.fromOpaque(argument!).takeRetainedValue()
            executor.runLoop()
            return nil
        }, box)
        guard result == 0 else {
            Unmanaged<SampledThreadExecutor>.fromOpaque(box).release()
            throw ProfilerError.samplerUnavailable("pthread_create failed (errno \(result))")
        }
        thread = created
        // Wait until the thread has published its id and stack bounds.
        pthread_mutex_lock(mutex)
        while threadInfo == nil { pthread_cond_wait(condition, mutex) }
        pthread_mutex_unlock(mutex)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    var info: ThreadInfo {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return threadInfo!
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        pthread_mutex_lock(mutex)
        if finished {
            // The thread is gone (a straggler job after the session stopped): let the global
            // executor run it rather than strand its task.
            pthread_mutex_unlock(mutex)
            globalConcurrentExecutor.enqueue(ExecutorJob(unowned))
            return
        }
        onEnqueue(unowned)
        jobs.append(unowned)
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Asks the thread to exit once its queue is empty, and waits for it (unless called from
    /// the thread itself, in which case the thread is detached and exits on its own).
    func shutdown() {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_signal(condition)
        let target = thread
        thread = nil
        pthread_mutex_unlock(mutex)
        guard let target else { return }
        if pthread_equal(target, pthread_self()) != 0 {
            pthread_detach(target)
        } else {
            pthread_join(target, nil)
        }
    }

    private func runLoop() {
        var tid: pid_t = 0
        var low: UInt = 0, high: UInt = 0
        _ = rp_current_thread_info(&tid, &low, &high)
        var clock = clockid_t()
        pthread_getcpuclockid(pthread_self(), &clock)
        pthread_mutex_lock(mutex)
        threadInfo = ThreadInfo(tid: tid, stackLow: low, stackHigh: high, cpuClock: clock)
        pthread_cond_broadcast(condition)
        while true {
            if head < jobs.count {
                let job = jobs[head]
                head += 1
                if head == jobs.count { jobs.removeAll(keepingCapacity: true); head = 0 }
                pthread_mutex_unlock(mutex)
                job.runSynchronously(on: asUnownedTaskExecutor())
                pthread_mutex_lock(mutex)
                continue
            }
            if stopping { break }
            onIdle(true)
            pthread_cond_wait(condition, mutex)
            onIdle(false)
        }
        finished = true
        pthread_mutex_unlock(mutex)
    }
}
