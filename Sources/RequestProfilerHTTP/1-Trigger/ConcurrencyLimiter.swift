import Synchronization

/// Counts the requests being profiled so that no more than
/// ``ProfilingSettings/maximumConcurrentProfiles`` run at once: each profiled request pins a
/// thread and takes a signal every interval, which a server cannot afford without bound.
public final class ConcurrencyLimiter: Sendable {
    public let limit: Int
    private let active = Atomic<Int>(0)

    public init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot if one is free, and `leaving` more beside it. Every successful call must be
    /// balanced by ``release()``.
    public func tryAcquire(leaving reserve: Int = 0) -> Bool {
        var current = active.load(ordering: .relaxed)
        while current < limit - max(0, reserve) {
            let (exchanged, original) = active.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Frees a slot taken by ``tryAcquire()``. A release without a slot taken (a caller's
    /// mistake) changes nothing: below zero, the next `limit + 1` acquires would all succeed.
    public func release() {
        var current = active.load(ordering: .relaxed)
        while current > 0 {
            let (exchanged, original) = active.compareExchange(
                expected: current, desired: current - 1, ordering: .acquiringAndReleasing)
            if exchanged { return }
            current = original
        }
    }

    /// Requests being profiled right now.
    public var inFlight: Int { active.load(ordering: .relaxed) }
}
