import Foundation
import Synchronization
import Testing

@testable import RequestMetrics

/// The collector's waits: timed on the monotonic clock (a wall clock stepped back made a wait
/// on `NSCondition` last as much longer), woken by a signal.
struct MonotonicConditionTests {
    @Test func timedWaitsRunOnTheMonotonicClock() {
        #expect(MonotonicCondition().clock == CLOCK_MONOTONIC)
    }

    @Test func aWaitEndsWhenItsTimeIsUpOrWhenSignalled() {
        let condition = MonotonicCondition()
        condition.lock()
        // Unsignalled, a wait ends when its time is up (again after a spurious wake-up).
        var start = ContinuousClock.now
        var signalled = true
        for _ in 0..<100 where signalled {
            start = ContinuousClock.now
            signalled = condition.wait(seconds: 0.02)
        }
        condition.unlock()
        #expect(!signalled)
        #expect(ContinuousClock.now - start >= .milliseconds(20))

        // The waiter says it is about to wait while it holds the lock, and lets go of the lock
        // only inside the wait: once the test holds the lock and sees that, the waiter is
        // waiting, and only the signal can end its 60 s wait in time.
        let flags = Flags()
        let waiter = Thread {
            condition.lock()
            flags.waiting = true
            var signalled = false
            while !flags.ready { signalled = condition.wait(seconds: 60) }
            condition.unlock()
            flags.wokeSignalled = signalled
        }
        waiter.start()
        var waiting = false
        while !waiting {
            condition.lock()
            waiting = flags.waiting
            if waiting {
                flags.ready = true
                condition.signal()
            }
            condition.unlock()
            if !waiting { sched_yield() }
        }
        // Woken by the signal, long before its 60 s (a generous 30 s for a loaded machine).
        let deadline = ContinuousClock.now + .seconds(30)
        while flags.wokeSignalled == nil && ContinuousClock.now < deadline { usleep(1_000) }
        #expect(flags.wokeSignalled == true, "the waiter was not woken by the signal (its wait returned \(String(describing: flags.wokeSignalled)))")
    }
}

/// What the test and its waiting thread share.
private final class Flags: Sendable {
    private let state = Mutex((waiting: false, ready: false, wokeSignalled: Bool?.none))
    /// Set by the waiter, the lock held, just before it waits.
    var waiting: Bool {
        get { state.withLock { $0.waiting } }
        set { state.withLock { $0.waiting = newValue } }
    }
    var ready: Bool {
        get { state.withLock { $0.ready } }
        set { state.withLock { $0.ready = newValue } }
    }
    /// Set by the waiter once it stopped waiting: whether its last wait said it was signalled
    /// (rather than timed out); nil while it waits.
    var wokeSignalled: Bool? {
        get { state.withLock { $0.wokeSignalled } }
        set { state.withLock { $0.wokeSignalled = newValue } }
    }
}
