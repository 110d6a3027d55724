import Foundation
import Synchronization

/// A wall clock whose first reading holds its caller until ``release()`` or for 250 ms at most,
/// so that a test can run a second caller while the first is between its reading and what it
/// does with it. Each reading is one nanosecond after the one before: the first caller's is
/// the oldest.
final class StallingClock: Sendable {
    private let readings = Mutex<UInt64>(0)
    private let stalled = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)

    var read: @Sendable () -> UInt64 {
        { [self] in
            let reading = readings.withLock { count in
                count += 1
                return count
            }
            if reading == 1 {
                stalled.signal()
                _ = released.wait(timeout: .now() + .milliseconds(250))
            }
            return 1_800_000_000_000_000_000 + reading
        }
    }

    /// Waits until the first reading has begun.
    func waitUntilStalled() { stalled.wait() }
    func release() { released.signal() }
}
