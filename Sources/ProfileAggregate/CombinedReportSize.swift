import ProfileReports

/// What the reports combined so far add up to, checked as each one is added: a loader adds
/// every report it keeps as soon as it is decoded, so that a folder of too many large reports
/// is refused at the first report that crosses a limit, before the next file is read. Summed
/// once all were read, every file of such a folder was decoded and held in memory first.
///
/// The limits are what one report may hold (see ``ReportLoader/checkCombinable(_:)``).
struct CombinedReportSize {
    /// How many reports were added, the one that crossed a limit included.
    private var reports = 0
    private var wall: UInt64 = 0, duration: UInt64 = 0, cpu: UInt64 = 0
    private var samples = 0, frames = 0, stackFrames = 0, missed = 0, dropped = 0

    /// Adds `report` to the sums.
    /// - Throws: `ReportLoadError.tooLarge` once the sums pass what one report may hold.
    mutating func add(_ report: LoadedReport) throws(ReportLoadError) {
        reports += 1
        let metadata = report.report.metadata
        wall = wall.saturatingAdding(report.rebuilt.wallNanoseconds)
        duration = duration.saturatingAdding(metadata.durationNanoseconds)
        // The larger of the two: the rebuilt samples' CPU is what a merge's frames add up.
        cpu = cpu.saturatingAdding(max(metadata.cpuNanoseconds, report.rebuilt.cpuNanoseconds))
        // Each within its report's limit (checked on load): no overflow before the checks
        // below stop the sums.
        samples += report.rebuilt.samples
        frames += report.rebuilt.frames
        stackFrames += report.rebuilt.stackFrames
        missed += metadata.missedSamples
        dropped += metadata.droppedSamples
        let limit = JSONReport.largestNanoseconds
        if wall > limit || duration > limit || cpu > limit {
            throw .tooLarge(reports: reports, reason: "together more than \(limit / 86_400_000_000_000) days of profiled time")
        }
        if samples > JSONReport.mostRebuiltSamples {
            throw .tooLarge(reports: reports, reason: "together more than \(JSONReport.mostRebuiltSamples) samples")
        }
        if frames > JSONReport.mostRebuiltFrames || stackFrames > JSONReport.mostStackFrames {
            throw .tooLarge(reports: reports, reason: "their stacks together hold more frames than one report may")
        }
        if missed > JSONReport.largestCount || dropped > JSONReport.largestCount {
            throw .tooLarge(reports: reports, reason: "together more than 2^40 missed or dropped samples")
        }
    }
}
