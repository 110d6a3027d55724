/// The tool and version that wrote a json report.
public struct JSONReportExporter: Sendable, Hashable, Codable {
    public var name: String
    public var version: String

    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }
}
