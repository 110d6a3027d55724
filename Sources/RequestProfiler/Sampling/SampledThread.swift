import CSampler
#if canImport(Glibc)
import Glibc
#endif

/// A pthread that the sampler's timer signals, lent to one ``SampledThreadExecutor`` (one
/// profiling session) at a time and parked in ``SampledThreadPool`` between sessions.
///
/// Creating and joining a thread for every profile was a quarter of what a short automatic
/// profile cost; a parked thread is handed the next session's executor instead. Its id, stack
/// bounds and CPU clock never change, so they are read once, when it starts.
final class SampledThread: @unchecked Sendable {
    /// Kernel thread id, stack bounds and CPU clock: what the sampler's timer and stack walk need.
    struct Info: Sendable {
        var tid: pid_t
        var stackLow: UInt
        var stackHigh: UInt
        var cpuClock: clockid_t
    }

    /// How long a parked thread waits for a new session before it exits, so that a server
    /// that profiled once does not keep threads for good. Sessions that come more often than
    /// this (auto-capture under traffic, a burst of `?profile=1`) reuse the parked threads.
    static let idleLifetimeSeconds = 10

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var assigned: SampledThreadExecutor?
    private var published: Info?
    private var handle = pthread_t()

    /// Starts the thread and waits until it has published its ``Info``.
    init() throws {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
        let box = Unmanaged.passRetained(self).toOpaque()
        var created = pthread_t()
        let result = pthread_create(&created, nil, { argument in
            let thread = Unmanaged<SampledThread>.fromOpaque(argument!).takeRetainedValue()
            thread.main()
            return nil
        }, box)
        guard result == 0 else {
            Unmanaged<SampledThread>.fromOpaque(box).release()
            throw ProfilerError.samplerUnavailable("pthread_create failed (errno \(result))")
        }
        pthread_detach(created)
        pthread_mutex_lock(mutex)
        handle = created
        while published == nil { pthread_cond_wait(condition, mutex) }
        pthread_mutex_unlock(mutex)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    var info: Info {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return published!
    }

    /// Whether the caller is running on this thread.
    var isCurrent: Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return pthread_equal(handle, pthread_self()) != 0
    }

    /// Hands the thread to `executor`, whose run loop it runs until the executor shuts down.
    /// Only for a thread just taken from the pool (or just created): never one already serving.
    func serve(_ executor: SampledThreadExecutor) {
        pthread_mutex_lock(mutex)
        precondition(assigned == nil, "a sampled thread serves one session at a time")
        assigned = executor
        pthread_mutex_unlock(mutex)
        // Signalled after unlocking: woken while the mutex is still held, the thread would
        // block on it at once and need a second wake-up from the unlock.
        pthread_cond_signal(condition)
    }

    private func main() {
        // A new thread inherits its creator's signal mask: created from a thread that blocks
        // SIGPROF (a server that takes its signals through signalfd or a dedicated thread), it
        // would never receive the timer's signals and every profile on it would stay empty.
        var profSignal = sigset_t()
        sigemptyset(&profSignal)
        sigaddset(&profSignal, SIGPROF)
        pthread_sigmask(SIG_UNBLOCK, &profSignal, nil)
        // The handler's own stack (see rp_thread_alternate_stack_install), let go as it leaves.
        let alternateStack = rp_thread_alternate_stack_install()
        defer { rp_thread_alternate_stack_remove(alternateStack) }
        var tid: pid_t = 0
        var low: UInt = 0, high: UInt = 0
        _ = rp_current_thread_info(&tid, &low, &high)
        var clock = clockid_t()
        pthread_getcpuclockid(pthread_self(), &clock)
        rp_name_current_thread("rp-sampled")
        pthread_mutex_lock(mutex)
        published = Info(tid: tid, stackLow: low, stackHigh: high, cpuClock: clock)
        pthread_cond_broadcast(condition)
        while true {
            guard let executor = assigned else {
                if waitForSession() { continue }
                // Idle for its whole lifetime: leave, unless a session took it meanwhile.
                pthread_mutex_unlock(mutex)
                if SampledThreadPool.retire(self) { return }
                pthread_mutex_lock(mutex)
                continue
            }
            pthread_mutex_unlock(mutex)
            executor.runLoop()
            pthread_mutex_lock(mutex)
            assigned = nil
            pthread_mutex_unlock(mutex)
            let parked = SampledThreadPool.park(self)
            executor.threadReleased()
            if !parked { return }
            pthread_mutex_lock(mutex)
        }
    }

    /// Waits (mutex held) until a session is assigned or the idle lifetime passes; true when
    /// one was assigned.
    private func waitForSession() -> Bool {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        deadline.tv_sec += Self.idleLifetimeSeconds
        while assigned == nil {
            if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT { return assigned != nil }
        }
        return true
    }
}
