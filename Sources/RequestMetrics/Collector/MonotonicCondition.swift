#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutex and a condition variable whose timed waits run on the monotonic clock.
///
/// Foundation's `NSCondition` waits until a wall-clock time: a clock stepped back while the
/// collector's thread waits (NTP, a VM resumed from a snapshot) made that one wait last as much
/// longer, an hour for an hour's step, and a quiet server's events, drop reports and JSONL age
/// rotation waited with it. Here the deadline is on `CLOCK_MONOTONIC` (Linux; elsewhere a
/// relative wait does the same).
final class MonotonicCondition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// The clock the timed waits measure (tests).
    let clock: clockid_t

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        #if os(Linux)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        var chosen = clockid_t(0)
        pthread_condattr_getclock(&attributes, &chosen)
        clock = chosen
        #else
        clock = CLOCK_MONOTONIC
        #endif
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
    func signal() { pthread_cond_signal(condition) }
    func broadcast() { pthread_cond_broadcast(condition) }

    /// Waits (the mutex held) until signalled or until `seconds` have passed on the monotonic
    /// clock; false when the time ran out. May also return early, as any condition wait.
    @discardableResult
    func wait(seconds: Double) -> Bool {
        let seconds = max(0, min(seconds, 86_400 * 365))
        var deadline = timespec()
        #if os(Linux)
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let nanoseconds = Int(deadline.tv_nsec) + Int((seconds - seconds.rounded(.down)) * 1e9)
        deadline.tv_sec += time_t(seconds.rounded(.down)) + time_t(nanoseconds / 1_000_000_000)
        deadline.tv_nsec = Int(nanoseconds % 1_000_000_000)
        return pthread_cond_timedwait(condition, mutex, &deadline) != ETIMEDOUT
        #else
        deadline.tv_sec = time_t(seconds.rounded(.down))
        deadline.tv_nsec = Int((seconds - seconds.rounded(.down)) * 1e9)
        return pthread_cond_timedwait_relative_np(condition, mutex, &deadline) != ETIMEDOUT
        #endif
    }
}
