import Logging

/// Deletes the files of the automatic reports ``CapturedProfileRegistry`` forgot (over the
/// per-route cap, or off its full list), so that automatic reports never pile up in the
/// reports directory. A file that cannot be deleted is logged and left.
///
/// Only a name of the shape this library gives its reports is deleted: the names come from the
/// index file in the reports folder, which a hand edit (or anyone who can write there) could
/// make list `Package.resolved` in a folder shared with other files (`PROFILING_OUTPUT_DIR=.`).
struct AutomaticReportRemover: Sendable {
    let directory: String
    let logger: Logger

    func remove(_ forgotten: [CapturedProfile]) {
        for old in forgotten {
            guard ReportFileName.isSavedReportName(old.file) else {
                logger.warning("request profiler: the list of saved reports names \(old.file), which is not a report's name; it is not deleted")
                continue
            }
            do {
                try ReportWriter(directory: directory).remove(old.file)
            } catch {
                logger.warning("request profiler: could not delete the old automatic report \(old.file): \(ReportSink.reason(error))")
            }
        }
    }
}
