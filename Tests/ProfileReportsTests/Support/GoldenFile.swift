import ReportTestSupport
import Testing

/// This target's golden files, under `Tests/ProfileReportsTests/Golden/` (see `GoldenDirectory`).
enum GoldenFile {
    static let directory = GoldenDirectory(besideSupportFile: #filePath)

    static func check(_ bytes: [UInt8], named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try directory.check(bytes, named: name, sourceLocation: sourceLocation)
    }
}
