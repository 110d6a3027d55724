import Logging

/// Deletes the files of the automatic reports ``CapturedProfileRegistry`` forgot (over the
/// per-route cap, or off its full list), so that automatic reports never pile up in the
/// reports directory. A file that cannot be deleted is logged and left.
struct AutomaticReportRemover: Sendable {
    let directory: String
    let logger: Logger

    func remove(_ forgotten: [CapturedProfile]) {
        for old in forgotten {
            do {
                try ReportWriter(directory: directory).remove(old.file)
            } catch {
                logger.warning("request profiler: could not delete the old automatic report \(old.file): \(ReportSink.reason(error))")
            }
        }
    }
}
