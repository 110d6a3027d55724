import Logging

/// One exporter plus its failure count; touched only by the collector's drain thread.
final class ExporterSlot {
    let exporter: any EventExporter
    private(set) var consecutiveFailures = 0
    private(set) var isDisabled = false

    init(_ exporter: any EventExporter) {
        self.exporter = exporter
    }

    /// Runs one exporter call; counts a failure, logs it, and disables the exporter (closing it)
    /// after `maximumFailures` failures in a row. Returns true when this call disabled it.
    func attempt(_ what: String, maximumFailures: Int, logger: Logger, _ call: (any EventExporter) throws -> Void) -> Bool {
        guard !isDisabled else { return false }
        do {
            try call(exporter)
            consecutiveFailures = 0
            return false
        } catch {
            consecutiveFailures += 1
            logger.error(
                "metrics exporter failed",
                metadata: [
                    "exporter": "\(exporter.name)", "operation": "\(what)", "error": "\(error)",
                    "consecutive_failures": "\(consecutiveFailures)",
                ])
            guard consecutiveFailures >= maximumFailures else { return false }
            isDisabled = true
            logger.error(
                "metrics exporter disabled after repeated failures",
                metadata: ["exporter": "\(exporter.name)", "failures": "\(consecutiveFailures)"])
            exporter.close()
            return true
        }
    }

    func close() {
        guard !isDisabled else { return }
        isDisabled = true
        exporter.close()
    }
}
