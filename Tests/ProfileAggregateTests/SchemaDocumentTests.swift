import Foundation
import ProfileAggregate
import ProfileReports
import ReportTestSupport
import Testing

/// `docs/json-report-schema.md` must name every field an aggregate or diff report adds.
@Suite("json schema document")
struct SchemaDocumentTests {
    @Test("documents every field of the aggregate and diff objects", arguments: ["aggregate", "diff"])
    func documented(section: String) throws {
        let text = try SchemaDocument.text(fromTestFile: #filePath)
        let report = section == "aggregate"
            ? try AggregateProfile(profiles: RequestFixtures.five).render(as: .json)
            : try AggregateGoldenTests.diff.render(as: .json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.bytes)) as? [String: Any])
        let keys = SchemaDocument.keys(in: try #require(object[section]))
        #expect(keys.count > 8)
        for key in keys.sorted() {
            #expect(text.contains("`\(key)`"), "docs/json-report-schema.md does not document `\(key)` of `\(section)`")
        }
        #expect(text.contains("| `\(section)` |"))
    }
}
