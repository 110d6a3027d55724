import Foundation

/// `docs/json-report-schema.md` and the keys of a json document, for the tests that check
/// every field a report writes is documented.
public enum SchemaDocument {
    /// The document's text, found from a test file's `#filePath` (`Tests/<Target>/<File>.swift`).
    public static func text(fromTestFile testFilePath: String) throws -> String {
        let url = URL(fileURLWithPath: testFilePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/json-report-schema.md")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// Every object key anywhere in `value` (a `JSONSerialization` result).
    public static func keys(in value: Any) -> Set<String> {
        var keys = Set<String>()
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                for (key, child) in object { keys.insert(key); collect(child) }
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(value)
        return keys
    }
}
