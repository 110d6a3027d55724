import Foundation
import Testing

/// A folder of golden files: the expected output of a renderer, read through the test file's
/// `#filePath` (no test resources). Run the tests with `UPDATE_GOLDEN=1` to rewrite them after
/// an intended change, then review the diff. Shared by the test targets that render reports.
public struct GoldenDirectory: Sendable {
    public let url: URL

    /// The `Golden` folder of the test target whose support file is at `supportFilePath`
    /// (`Tests/<Target>/Support/<File>.swift`).
    public init(besideSupportFile supportFilePath: String) {
        url = URL(fileURLWithPath: supportFilePath)
            .deletingLastPathComponent()  // Support
            .deletingLastPathComponent()  // the test target
            .appendingPathComponent("Golden", isDirectory: true)
    }

    public static var isUpdating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }

    /// Compares `bytes` with the golden file `name`, or rewrites it when updating.
    public func check(_ bytes: [UInt8], named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = url.appendingPathComponent(name)
        if Self.isUpdating {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try Data(bytes).write(to: file)
            return
        }
        guard let expected = FileManager.default.contents(atPath: file.path) else {
            Issue.record("Golden file \(name) is missing; run the tests with UPDATE_GOLDEN=1 to create it.", sourceLocation: sourceLocation)
            return
        }
        if Array(expected) != bytes {
            Issue.record("Output differs from golden file \(name): \(Self.firstDifference(Array(expected), bytes)). Run with UPDATE_GOLDEN=1 if the change is intended.", sourceLocation: sourceLocation)
        }
    }

    /// Where two outputs first differ: the line, and the bytes around the first difference
    /// (json reports are one long line).
    private static func firstDifference(_ expected: [UInt8], _ actual: [UInt8]) -> String {
        let offset = zip(expected, actual).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(expected.count, actual.count)
        let line = expected[..<min(offset, expected.count)].filter { $0 == UInt8(ascii: "\n") }.count + 1
        func around(_ bytes: [UInt8]) -> String {
            let window = bytes[max(0, offset - 40)..<min(bytes.count, offset + 40)]
            return String(decoding: window, as: UTF8.self).debugDescription
        }
        return "line \(line), byte \(offset): expected …\(around(expected))…, got …\(around(actual))…"
    }
}
