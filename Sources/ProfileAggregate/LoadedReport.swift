import ProfileModel
import ProfileReports

/// A json report read from disk, with the path it came from (for errors and listings).
public struct LoadedReport: Sendable {
    public var path: String
    public var report: JSONReport
    /// What rebuilding the profile makes, for ``ReportLoader/checkCombinable(_:)``.
    let rebuiltSamples: Int
    let rebuiltWallNanoseconds: UInt64

    public init(path: String, report: JSONReport) {
        let check = report.check
        self.init(path: path, report: report, rebuiltSamples: check.rebuiltSamples, rebuiltWallNanoseconds: check.rebuiltWallNanoseconds)
    }

    init(path: String, report: JSONReport, rebuiltSamples: Int, rebuiltWallNanoseconds: UInt64) {
        self.path = path
        self.report = report
        self.rebuiltSamples = rebuiltSamples
        self.rebuiltWallNanoseconds = rebuiltWallNanoseconds
    }

    /// The renderable profile the report describes (see `Profile(report:)`).
    public var profile: Profile { Profile(report: report) }
}
