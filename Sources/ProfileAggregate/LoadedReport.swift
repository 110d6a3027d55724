import ProfileModel
import ProfileReports

/// A json report read from disk, with the path it came from (for errors and listings).
public struct LoadedReport: Sendable {
    public var path: String
    public var report: JSONReport

    public init(path: String, report: JSONReport) {
        self.path = path
        self.report = report
    }

    /// The renderable profile the report describes (see `Profile(report:)`).
    public var profile: Profile { Profile(report: report) }
}
