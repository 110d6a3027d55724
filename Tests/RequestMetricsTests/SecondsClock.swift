import Synchronization

/// A monotonic clock a test sets to whole seconds after an arbitrary start (a boot's uptime),
/// for code that takes its clock as `() -> UInt64` nanoseconds.
final class SecondsClock: Sendable {
    private static let start: UInt64 = 5_000 * 1_000_000_000
    private let reading = Mutex(SecondsClock.start)

    func set(_ seconds: UInt64) { reading.withLock { $0 = Self.start + seconds * 1_000_000_000 } }

    var nanoseconds: @Sendable () -> UInt64 { { self.reading.withLock { $0 } } }
}
