import Foundation
import ProfileModel
import ProfileReports
import ReportTestSupport
import Testing

@Suite("json report")
struct JSONRendererTests {
    private func decode(_ options: RenderOptions = RenderOptions()) throws -> JSONReport {
        try JSONDecoder().decode(JSONReport.self, from: Data(Fixtures.request.render(as: .json, options: options).bytes))
    }

    private func find(_ name: String, in node: JSONReportNode) -> JSONReportNode? {
        if node.name.hasPrefix(name) { return node }
        return node.children.lazy.compactMap { find(name, in: $0) }.first
    }

    @Test("decodes back with Codable: tree with names, file, line, total, self, CPU and await per node")
    func roundTrip() throws {
        let report = try decode()
        #expect(report.schema == "swift-request-profiler.report")
        #expect(report.schemaVersion == 1)
        #expect(report.exporter == JSONReportExporter(name: "swift-request-profiler", version: ExporterInfo.version))
        #expect(report.root.frame == nil)
        #expect(report.root.totalNanoseconds == Fixtures.request.totalWallNanoseconds)
        #expect(report.root.cpuNanoseconds == Fixtures.request.totalCPUNanoseconds)
        #expect(report.root.sampleCount == 100)

        let hot = try #require(find(Fixtures.hotFunction, in: report.root))
        #expect(hot.file == "/src/Sources/DemoApp/PasswordHasher.swift")
        #expect(hot.line == 10)
        #expect(hot.kind == .application)
        #expect(hot.totalNanoseconds == 60_000_000)
        #expect(hot.selfNanoseconds == 50_000_000)
        #expect(hot.cpuNanoseconds == 60_000_000)
        #expect(hot.awaitNanoseconds == 0)
        #expect(report.frames[hot.frame!].shortName == Fixtures.hotFunction)

        let database = try #require(find("DemoApp.Database.fetchUser", in: report.root))
        #expect(database.awaitNanoseconds == 25_000_000)
        #expect(database.waitNanoseconds == 25_000_000)
        #expect(database.cpuNanoseconds == 0)
    }

    @Test("carries the metadata, request included")
    func metadata() throws {
        let metadata = try decode().metadata
        #expect(metadata.request == RequestInfo(method: "GET", path: "/users/42", route: "/users/:id", status: 200))
        #expect(metadata.missedSamples == 2)
        #expect(metadata.durationNanoseconds == 101_500_000)
        #expect(metadata.intervalNanoseconds == 1_000_000)
    }

    @Test("the tree options say how the tree was shaped")
    func treeOptions() throws {
        let report = try decode(RenderOptions(showAllFrames: true, threshold: 0.05))
        #expect(report.tree.showAllFrames)
        #expect(report.tree.threshold == 0.05)
        #expect(find("Hummingbird.Router.respond", in: report.root) != nil)
        #expect(find("DemoApp.Cache", in: report.root) != nil)  // exactly 5%: kept
        #expect(find("NIOCore.EventLoop.execute", in: report.root) == nil)  // 2%: folded
    }

    /// Every key the encoder writes is documented in docs/json-report-schema.md.
    @Test("the schema document covers every field")
    func documented() throws {
        let text = try SchemaDocument.text(fromTestFile: #filePath)
        let keys = SchemaDocument.keys(in: try JSONSerialization.jsonObject(with: Data(Fixtures.request.render(as: .json, options: RenderOptions(showAllFrames: true)).bytes)))
        #expect(keys.count > 30)
        for key in keys.sorted() {
            #expect(text.contains("| `\(key)` |"), "docs/json-report-schema.md does not document `\(key)`")
        }
    }
}
