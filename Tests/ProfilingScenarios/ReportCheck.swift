import Foundation
import RequestProfiler
import Testing

/// Checks that a report body is a well-formed document of its format, as far as a test can
/// without the format's own tools (the reports target validates them fully).
public enum ReportCheck {
    public static func expectValid(_ bytes: [UInt8], format: ProfileFormat, route: String) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        switch format {
        case .html:
            #expect(text.lowercased().hasPrefix("<!doctype html"))
            #expect(text.contains("</html>"))
            #expect(text.contains(route))
        case .text:
            #expect(text.contains("GET"))
            #expect(text.contains(route))
        case .json:
            let report = try JSONDecoder().decode(JSONReport.self, from: Data(bytes))
            #expect(report.schema == JSONReport.schemaName)
            #expect(report.metadata.request?.route == route)
        case .speedscope:
            let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
            #expect((object?["$schema"] as? String)?.contains("speedscope") == true)
            #expect((object?["profiles"] as? [Any])?.isEmpty == false)
        case .collapsed:
            let lines = text.split(separator: "\n")
            #expect(!lines.isEmpty)
            for line in lines {
                #expect(line.split(separator: " ").last.flatMap { Int($0) } != nil, "not a folded stack: \(line)")
            }
        case .pprof:
            #expect(bytes.starts(with: [0x1f, 0x8b]), "pprof is gzipped")
        }
    }

    /// The JSON report's request metadata.
    public static func request(inJSON bytes: [UInt8]) throws -> (RequestInfo?, ProfileMetadata) {
        let report = try JSONDecoder().decode(JSONReport.self, from: Data(bytes))
        return (report.metadata.request, report.metadata)
    }
}
