#if canImport(Glibc)
import Glibc
#endif

/// The parked ``SampledThread``s, ready for the next profiling session.
///
/// At most `maximumParked` wait here (each costs a stack's worth of address space and a few
/// resident pages); a thread finishing its session when the pool is full exits instead, and a
/// parked thread exits after ``SampledThread/idleLifetimeSeconds`` without a session.
enum SampledThreadPool {
    static let maximumParked = 4
    private static let lock = Mutex()
    nonisolated(unsafe) private static var parked: [SampledThread] = []

    /// A parked thread, or a new one when none is parked.
    static func borrow() throws -> SampledThread {
        if let thread = lock.withLock({ parked.popLast() }) { return thread }
        return try SampledThread()
    }

    /// Called by a thread whose session ended; false when the pool is full and it should exit.
    static func park(_ thread: SampledThread) -> Bool {
        lock.withLock {
            guard parked.count < maximumParked else { return false }
            parked.append(thread)
            return true
        }
    }

    /// Kernel thread ids of the parked threads (tests read it).
    static var parkedThreadIDs: [pid_t] {
        lock.withLock { parked.map { $0.info.tid } }
    }

    /// Called by a parked thread that idled for its lifetime; true when it was still parked
    /// (so it may exit), false when a session borrowed it meanwhile.
    static func retire(_ thread: SampledThread) -> Bool {
        lock.withLock {
            guard let index = parked.firstIndex(where: { $0 === thread }) else { return false }
            parked.remove(at: index)
            return true
        }
    }
}
