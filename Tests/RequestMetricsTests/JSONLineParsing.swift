import Foundation
import RequestMetrics

/// Parses JSONL text as a user's tool would, one object per line.
enum JSONLineParsing {
    struct NotAnObject: Error, CustomStringConvertible {
        var line: String
        var description: String { "not a JSON object: \(line.prefix(200))" }
    }

    static func object(_ line: some StringProtocol) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw NotAnObject(line: String(line))
        }
        return object
    }

    static func objects(ofLines text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n", omittingEmptySubsequences: true).map(object)
    }
}
