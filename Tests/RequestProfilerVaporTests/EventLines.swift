#if Vapor
import Foundation
import Testing

/// The events the JSONL exporter wrote into a folder, one line each: the Vapor tests follow a
/// request's trace and spans through them.
struct EventLines: CustomStringConvertible {
    let files: [String]
    let lines: [Substring]

    init(folder: String) throws {
        files = try FileManager.default.contentsOfDirectory(atPath: folder)
        lines = try files.flatMap { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8).split(separator: "\n") }
    }

    /// The events of `kind` (`REQ`, `SPAN`) whose line holds each of `fields` as a string value.
    func all(kind: String, _ fields: [String: String] = [:]) -> [Substring] {
        lines.filter { line in
            line.contains("\"kind\":\"\(kind)\"") && fields.allSatisfy { line.contains("\"\($0.key)\":\"\($0.value)\"") }
        }
    }

    /// The first of ``all(kind:_:)``; fails the test when there is none.
    func first(kind: String, _ fields: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) throws -> Substring {
        try #require(all(kind: kind, fields).first, "no \(kind) event with \(fields) in \(lines)", sourceLocation: sourceLocation)
    }

    /// The lowercase hex id `field` (`trace_id`, `span_id`) of `line`.
    static func id(_ field: String, of line: Substring, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let pattern = try Regex("\"\(field)\":\"([0-9a-f]+)\"", as: (Substring, Substring).self)
        return try #require(line.firstMatch(of: pattern).map { String($0.1) }, "no \(field) in \(line)", sourceLocation: sourceLocation)
    }

    var description: String { "\(lines)" }
}
#endif
