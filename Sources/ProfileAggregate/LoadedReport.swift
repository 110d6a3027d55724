import ProfileModel
import ProfileReports

/// A json report read from disk, with the path it came from (for errors and listings).
public struct LoadedReport: Sendable {
    public var path: String
    public var report: JSONReport
    /// What rebuilding the profile makes, for ``ReportLoader/checkCombinable(_:)``.
    let rebuilt: RebuildSize

    public init(path: String, report: JSONReport) {
        self.init(path: path, report: report, rebuilt: report.check.rebuilt)
    }

    init(path: String, report: JSONReport, rebuilt: RebuildSize) {
        self.path = path
        self.report = report
        self.rebuilt = rebuilt
    }

    /// The renderable profile the report describes (see `Profile(report:)`).
    public var profile: Profile { Profile(report: report) }
}
