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
/// (counted, and said in the log when it comes back).
final class ExporterSlot {
    let exporter: any EventExporter
    /// The first wait before a disabled exporter is tried again.
    let retryInterval: TimeInterval
    /// The longest wait between two tries.
    let longestRetryInterval: TimeInterval
    private(set) var consecutiveFailures = 0
    private(set) var isDisabled = false
    private var isClosed = false
    private var disabledAt = Date.distantPast
    private var retryAt = Date.distantFuture
    private var currentRetryInterval: TimeInterval
    /// Batches not exported while disabled.
    private(set) var skippedBatches = 0

    /// What a call did to the exporter's state, for the collector's list of disabled ones.
    enum Change {
        case none, disabled, reenabled
    }

    init(_ exporter: any EventExporter, retryInterval: TimeInterval = 60, longestRetryInterval: TimeInterval = 3600) {
        self.exporter = exporter
        self.retryInterval = max(0.001, retryInterval)
        self.longestRetryInterval = max(self.retryInterval, longestRetryInterval)
        currentRetryInterval = self.retryInterval
    }

    /// Runs one exporter call (or skips it while the exporter is disabled, unless the call
    /// `retries` and the next try is due); counts a failure, logs it, and disables the exporter
    /// after `maximumFailures` failures in a row.
    func attempt(
        _ what: String, retries: Bool, maximumFailures: Int, logger: Logger, now: Date = Date(),
        _ call: (any EventExporter) throws -> Void
    ) -> Change {
        guard !isClosed else { return .none }
        if isDisabled {
            guard retries, now >= retryAt else {
                if retries { skippedBatches += 1 }
                return .none
            }
        }
        do {
            try call(exporter)
        } catch {
            return failed(what, error: error, maximumFailures: maximumFailures, logger: logger, now: now)
        }
        consecutiveFailures = 0
        guard isDisabled else { return .none }
        logger.notice(
            "metrics exporter works again and is re-enabled",
            metadata: [
                "exporter": "\(exporter.name)", "disabled_seconds": "\(Int(now.timeIntervalSince(disabledAt)))",
                "batches_missed": "\(skippedBatches)",
            ])
        isDisabled = false
        skippedBatches = 0
        currentRetryInterval = retryInterval
        return .reenabled
    }

    private func failed(_ what: String, error: any Error, maximumFailures: Int, logger: Logger, now: Date) -> Change {
        consecutiveFailures += 1
        if isDisabled {
            currentRetryInterval = min(currentRetryInterval * 2, longestRetryInterval)
            retryAt = now.addingTimeInterval(currentRetryInterval)
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
        isDisabled = true
        disabledAt = now
        retryAt = now.addingTimeInterval(currentRetryInterval)
        logger.error(
            "metrics exporter disabled after repeated failures",
            metadata: [
                "exporter": "\(exporter.name)", "failures": "\(consecutiveFailures)",
                "next_try_seconds": "\(Int(currentRetryInterval))",
            ])
        return .disabled
    }

    /// Closes the exporter (at shutdown), disabled or not.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        exporter.close()
    }
}
