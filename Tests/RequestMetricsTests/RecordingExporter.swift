import Foundation
import RequestMetrics
import Synchronization
import Testing

/// An exporter that keeps what it receives; can be told to block (to hold the collector's
/// thread inside `export`) or to fail.
final class RecordingExporter: EventExporter {
    struct Failure: Error {}

    let name: String
    private let state = Mutex(State())
    private let entered = DispatchSemaphore(value: 0)
    private let release = DispatchSemaphore(value: 0)

    private struct State {
        var events: [MetricsEvent] = []
        var exportCalls = 0
        var flushes = 0
        var closed = false
        var blockNextExport = false
        var failing = false
    }

    init(name: String = "recording", failing: Bool = false) {
        self.name = name
        state.withLock { $0.failing = failing }
    }

    var events: [MetricsEvent] { state.withLock { $0.events } }
    var exportCalls: Int { state.withLock { $0.exportCalls } }
    var flushes: Int { state.withLock { $0.flushes } }
    var isClosed: Bool { state.withLock { $0.closed } }

    /// The next `export` call waits in the exporter until ``releaseBlockedExport()``.
    func blockNextExport() { state.withLock { $0.blockNextExport = true } }
    /// Waits until a blocked `export` call has started; after 30 s without one, records a
    /// failure and returns (a collector that never exports must fail the test, not hang it).
    func waitUntilBlocked(sourceLocation: SourceLocation = #_sourceLocation) {
        if entered.wait(timeout: .now() + 30) == .timedOut {
            Issue.record("the collector did not call export within 30 s", sourceLocation: sourceLocation)
        }
    }
    func releaseBlockedExport() { release.signal() }
    /// Makes the following calls of `export` fail, or succeed again.
    func setFailing(_ failing: Bool) { state.withLock { $0.failing = failing } }

    func export(_ batch: [MetricsEvent]) throws {
        let (block, failing) = state.withLock { state in
            state.exportCalls += 1
            defer { state.blockNextExport = false }
            return (state.blockNextExport, state.failing)
        }
        if block {
            entered.signal()
            release.wait()
        }
        if failing { throw Failure() }
        state.withLock { $0.events += batch }
    }

    func flush() throws {
        state.withLock { $0.flushes += 1 }
    }

    func close() {
        state.withLock { $0.closed = true }
    }
}
