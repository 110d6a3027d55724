import Foundation
import Testing

/// Golden files: the expected output of a renderer, kept under `Tests/ProfileReportsTests/Golden/`
/// and read through `#filePath` (no test resources). Run the tests with `UPDATE_GOLDEN=1` to
/// rewrite them after an intended change, then review the diff.
enum GoldenFile {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // ProfileReportsTests
        .appendingPathComponent("Golden", isDirectory: true)

    static var isUpdating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }

    /// Compares `bytes` with the golden file `name`, or rewrites it when updating.
    static func check(_ bytes: [UInt8], named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        if isUpdating {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
            return
        }
        guard let expected = FileManager.default.contents(atPath: url.path) else {
            Issue.record("Golden file \(name) is missing; run the tests with UPDATE_GOLDEN=1 to create it.", sourceLocation: sourceLocation)
            return
        }
        if Array(expected) != bytes {
            Issue.record("Output differs from golden file \(name): \(firstDifference(Array(expected), bytes)). Run with UPDATE_GOLDEN=1 if the change is intended.", sourceLocation: sourceLocation)
        }
    }

    /// Where two outputs first differ, by line for text.
    private static func firstDifference(_ expected: [UInt8], _ actual: [UInt8]) -> String {
        let expectedLines = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = String(decoding: actual, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(expectedLines.count, actualLines.count) {
            let lhs = index < expectedLines.count ? String(expectedLines[index]) : "<end>"
            let rhs = index < actualLines.count ? String(actualLines[index]) : "<end>"
            if lhs != rhs { return "line \(index + 1): expected \(lhs.debugDescription), got \(rhs.debugDescription)" }
        }
        return "\(expected.count) bytes expected, \(actual.count) bytes produced"
    }
}
