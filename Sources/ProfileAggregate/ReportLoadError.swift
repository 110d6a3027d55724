import ProfileReports

/// Why a saved report could not be used. Every case names the file, so a person pointing the
/// command-line tool at a folder of hundreds of reports knows which one to look at.
public enum ReportLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file or folder could not be read (missing, permissions, a folder with no reports).
    case unreadable(path: String, reason: String)
    /// The file is not JSON at all.
    case notJSON(path: String, reason: String)
    /// The file is JSON but not a swift-request-profiler report (no or another `schema`).
    case notAReport(path: String, found: String?)
    /// A report of a schema version this tool does not read.
    case unsupportedVersion(path: String, version: Int)
    /// Reports of different schema versions were given together.
    case mixedVersions(path: String, version: Int, otherPath: String, otherVersion: Int)
    /// A report that is valid JSON of our schema but misses or mistypes fields.
    case malformed(path: String, reason: String)
    /// Nothing to combine.
    case noReports
    /// The reports together hold more than one report may (see `ReportLoader.checkCombinable`).
    case tooLarge(reports: Int, reason: String)

    /// One line, its control characters (a file name's, a report's own `schema`) shown as
    /// U+FFFD: it is printed on terminals and served by the dashboard.
    public var description: String {
        TerminalSafeText.make(rawDescription)
    }

    private var rawDescription: String {
        switch self {
        case .unreadable(let path, let reason):
            "\(path): cannot be read: \(reason)"
        case .notJSON(let path, let reason):
            "\(path): not a JSON file: \(reason)"
        case .notAReport(let path, let found):
            "\(path): not a swift-request-profiler json report (schema is \(found.map { "\"\($0)\"" } ?? "missing"), expected \"\(ReportLoader.schemaName)\")"
        case .unsupportedVersion(let path, let version):
            "\(path): report schema version \(version) is not supported (this tool reads version \(ReportLoader.supportedVersion))"
        case .mixedVersions(let path, let version, let otherPath, let otherVersion):
            "\(path): schema version \(version) differs from \(otherPath) (version \(otherVersion)); combine reports of one version"
        case .malformed(let path, let reason):
            "\(path): not a valid report: \(reason)"
        case .noReports:
            "no reports given"
        case .tooLarge(let reports, let reason):
            "the \(reports) reports are too many to combine (\(reason)); combine fewer at a time"
        }
    }
}
