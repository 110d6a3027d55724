import Foundation
import Logging

/// One exporter plus its failure count; touched only by the collector's drain thread.
///
/// After `maximumFailures` failures in a row the exporter is disabled, but not for good: a
/// disk that filled up for a while, or a collector that restarted, would otherwise end JSONL
/// metrics until the server restarts. A disabled exporter is tried again once
/// ``retryInterval`` has passed, with the next batch (not with a flush, which may succeed
/// without writing anything and so prove nothing); each failed try doubles the wait,
/// up to ``longestRetryInterval``. What comes while it is disabled is not exported by it
/// (counted with the failed batches, and said in the log when it comes back). Flushes still
/// reach it, unjudged: a JSONL exporter's flush rotates an old file, so that the lines it
/// wrote before it failed reach the readers of rotated files without waiting for it to recover.
///
/// The waits are timed on the monotonic clock, as the collector's are (``MonotonicCondition``):
/// timed on the wall clock, a clock stepped back an hour (NTP, a VM resumed from a snapshot)
/// added an hour to the wait, and a day's step left the exporter disabled for a day.
final class ExporterSlot {
    let exporter: any EventExporter
    /// The first wait before a disabled exporter is tried again.
    let retryInterval: TimeInterval
    /// The longest wait between two tries.
    let longestRetryInterval: TimeInterval
    private(set) var consecutiveFailures = 0
    private(set) var isDisabled = false
    private var isClosed = false
    /// Monotonic nanoseconds, from ``clock``.
    private var disabledAt: UInt64 = 0
    private var retryAt: UInt64 = .max
    private var currentRetryInterval: TimeInterval
    /// Batches not exported since the last success: those that failed and those skipped
    /// while disabled.
    private(set) var missedBatches = 0
    /// Longer waits are taken as this one (a year): a `Duration` meant as "never" must not
    /// overflow when the wait is logged in whole seconds.
    static let longestWait: TimeInterval = 365 * 86_400
    /// Monotonic nanoseconds (``MetricsClock/monotonicNanoseconds`` unless a test moves time).
    private let clock: @Sendable () -> UInt64

    /// What a call did to the exporter's state, for the collector's list of disabled ones.
    enum Change {
        case none, disabled, reenabled
    }

    init(
        _ exporter: any EventExporter, retryInterval: TimeInterval = 60, longestRetryInterval: TimeInterval = 3600,
        clock: @escaping @Sendable () -> UInt64 = MetricsClock.system.monotonicNanoseconds
    ) {
        self.exporter = exporter
        self.clock = clock
        self.retryInterval = min(max(0.001, retryInterval), Self.longestWait)
        self.longestRetryInterval = min(max(self.retryInterval, longestRetryInterval), Self.longestWait)
        currentRetryInterval = self.retryInterval
    }

    /// Disables an exporter that could not start (``EventExporter/startFailure``), as if it had
    /// just failed `maximumFailures` times: listed as disabled from the first moment, and tried
    /// again with a batch once ``retryInterval`` has passed, instead of failing the first
    /// batches unlisted. `.disabled` when it did.
    func disableIfNotStarted(logger: Logger) -> Change {
        guard !isDisabled, let failure = exporter.startFailure else { return .none }
        disable(at: clock())
        logger.error(
            "metrics exporter could not start; disabled, tried again later",
            metadata: [
                "exporter": "\(exporter.name)", "error": "\(failure)", "next_try_seconds": "\(Int(currentRetryInterval))",
            ])
        return .disabled
    }

    /// Runs one exporter call (or skips a batch while the exporter is disabled, unless the next
    /// try is due); counts a failure, logs it, and disables the exporter after
    /// `maximumFailures` failures in a row. `retries`: the call exports a batch (a flush does not).
    func attempt(
        _ what: String, retries: Bool, maximumFailures: Int, logger: Logger, _ call: (any EventExporter) throws -> Void
    ) -> Change {
        guard !isClosed else { return .none }
        let now = clock()
        if isDisabled {
            guard retries else {
                try? call(exporter)  // a flush: run, but neither a try nor a failure
                return .none
            }
            guard now >= retryAt else {
                missedBatches += 1
                return .none
            }
        }
        do {
            try call(exporter)
        } catch {
            if retries { missedBatches += 1 }
            return failed(what, error: error, maximumFailures: maximumFailures, logger: logger, now: now)
        }
        // A flush that succeeds proves nothing (it may write nothing): only a batch ends a run
        // of failures. Else, with a batch or less per flush interval, an exporter that fails
        // every batch was never disabled and logged an error per batch for good.
        guard retries else { return .none }
        consecutiveFailures = 0
        defer { missedBatches = 0 }
        guard isDisabled else { return .none }
        logger.notice(
            "metrics exporter works again and is re-enabled",
            metadata: [
                "exporter": "\(exporter.name)", "disabled_seconds": "\((now &- disabledAt) / 1_000_000_000)",
                "batches_missed": "\(missedBatches)",
            ])
        isDisabled = false
        currentRetryInterval = retryInterval
        return .reenabled
    }

    /// Disabled from `now`, tried again one retry interval later.
    private func disable(at now: UInt64) {
        isDisabled = true
        disabledAt = now
        retryAt = Self.adding(currentRetryInterval, to: now)
    }

    private func failed(_ what: String, error: any Error, maximumFailures: Int, logger: Logger, now: UInt64) -> Change {
        consecutiveFailures += 1
        if isDisabled {
            currentRetryInterval = min(currentRetryInterval * 2, longestRetryInterval)
            retryAt = Self.adding(currentRetryInterval, to: now)
            logger.error(
                "metrics exporter still fails; tried again later",
                metadata: [
                    "exporter": "\(exporter.name)", "operation": "\(what)", "error": "\(error)",
                    "next_try_seconds": "\(Int(currentRetryInterval))",
                ])
            return .none
        }
        logger.error(
            "metrics exporter failed",
            metadata: [
                "exporter": "\(exporter.name)", "operation": "\(what)", "error": "\(error)",
                "consecutive_failures": "\(consecutiveFailures)",
            ])
        guard consecutiveFailures >= maximumFailures else { return .none }
        disable(at: now)
        logger.error(
            "metrics exporter disabled after repeated failures",
            metadata: [
                "exporter": "\(exporter.name)", "failures": "\(consecutiveFailures)",
                "next_try_seconds": "\(Int(currentRetryInterval))",
            ])
        return .disabled
    }

    /// At shutdown, before the last batches: a disabled exporter is tried with the next one,
    /// however long it was to rest (a disk that was full for a while may take them now). If that
    /// try fails too, it rests again and the batches after it are counted as missed.
    func tryAgainAtShutdown() {
        guard isDisabled else { return }
        retryAt = 0
    }

    /// `now` plus a wait of at most ``longestWait``, saturated (a clock read near its end must
    /// not wrap around to a time already past).
    private static func adding(_ seconds: TimeInterval, to now: UInt64) -> UInt64 {
        let (sum, overflowed) = now.addingReportingOverflow(UInt64(seconds * 1e9))
        return overflowed ? .max : sum
    }

    /// Closes the exporter (at shutdown), disabled or not; batches it never exported are said
    /// in the log (else a disabled exporter's last events vanished without a word).
    func close(logger: Logger) {
        guard !isClosed else { return }
        isClosed = true
        if missedBatches > 0 {
            logger.error(
                "metrics exporter closed with batches it did not export",
                metadata: ["exporter": "\(exporter.name)", "batches_missed": "\(missedBatches)"])
        }
        exporter.close()
    }
}
