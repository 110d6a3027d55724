/// Who wrote a report, stamped into the formats that have a place for it (json, speedscope,
/// pprof comments) so a file found later can be traced to the tool and version.
public enum ExporterInfo {
    public static let name = "swift-request-profiler"
    /// Bumped with each release that changes a report format.
    public static let version = "0.1.0"
    /// `name@version`, the form speedscope's `exporter` field uses.
    public static var nameAndVersion: String { "\(name)@\(version)" }
}
