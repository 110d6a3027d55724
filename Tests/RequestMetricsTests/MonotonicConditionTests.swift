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

        let flags = Flags()
        let waiter = Thread {
            condition.lock()
            while !flags.ready { condition.wait(seconds: 60) }
            condition.unlock()
            flags.woke = true
        }
        waiter.start()
        usleep(20_000)
        condition.lock()
        flags.ready = true
        condition.signal()
        condition.unlock()
        // Woken by the signal, long before its 60 s.
        for _ in 0..<10_000 where !flags.woke { usleep(1_000) }
        #expect(flags.woke)
    }
}

/// Two flags shared between the test and its waiting thread.
private final class Flags: Sendable {
    private let state = Mutex((ready: false, woke: false))
    var ready: Bool {
        get { state.withLock { $0.ready } }
        set { state.withLock { $0.ready = newValue } }
    }
    var woke: Bool {
        get { state.withLock { $0.woke } }
        set { state.withLock { $0.woke = newValue } }
    }
}
