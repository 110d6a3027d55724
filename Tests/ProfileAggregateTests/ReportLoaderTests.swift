import Foundation
import ProfileAggregate
import ProfileModel
import ProfileReports
import ReportTestSupport
import Testing

/// Reading folders of saved reports as they are on a live server, and refusing what could not
/// be combined into a report that loads again.
@Suite("Report loader")
struct ReportLoaderTests {
    static let report = try! RequestFixtures.request(price: 20, audit: 5, load: 10).render(as: .json).bytes

    /// `report` with `edit` applied to its JSON object.
    static func editing(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(report)) as? [String: Any])
        edit(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    /// A node below the root without a frame was left out of the rebuild, and its time with it.
    @Test func aNodeWithoutAFrameIsMalformed() throws {
        let hostile = try Self.editing { object in
            var root = object["root"] as! [String: Any]
            var children = root["children"] as! [[String: Any]]
            children[0]["frame"] = nil
            root["children"] = children
            object["root"] = root
        }
        #expect(throws: ReportLoadError.malformed(path: "x.json", reason: "root.children[0].frame missing")) {
            try ReportLoader.decode(hostile, path: "x.json")
        }
    }

    /// A subfolder named like a report is not read; a file listed and gone when read (a live
    /// server's auto-capture deleting a route's oldest report; here a link whose target is
    /// gone) is passed over. A file named on its own must still be there.
    @Test func aFolderIsReadAsItIsWhileAServerWritesIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let kept = try directory.write(Self.report, to: "a.json").path
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("archive.json"), withIntermediateDirectories: false)
        let gone = directory.url.appendingPathComponent("gone.json").path
        try FileManager.default.createSymbolicLink(atPath: gone, withDestinationPath: directory.url.appendingPathComponent("deleted.json").path)

        let loaded = try ReportLoader.load([directory.url.path])
        #expect(loaded.map(\.path) == [kept])
        #expect(throws: ReportLoadError.unreadable(path: gone, reason: "no such file or folder")) { try ReportLoader.load([kept, gone]) }
    }

    /// Reports whose sums would exceed what one report may hold are refused with a reason,
    /// instead of a merge writing a report no later command reads (or overflowing its sums).
    @Test func reportsTooLargeTogetherAreRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let half = try Self.editing { object in
            var metadata = object["metadata"] as! [String: Any]
            metadata["durationNanoseconds"] = NSNumber(value: JSONReport.largestNanoseconds / 2)
            object["metadata"] = metadata
        }
        for name in ["a.json", "b.json"] { _ = try directory.write([UInt8](half), to: name) }
        let two = try ReportLoader.load([directory.url.path])
        #expect(two.count == 2, "exactly at the limit is fine")
        let merged = try ReportCollection.merge(reports: two, format: .json)
        #expect(throws: Never.self, "what a merge writes loads again") { try ReportLoader.decode(Data(merged.bytes), path: "merged.json") }

        _ = try directory.write([UInt8](half), to: "c.json")
        #expect(throws: ReportLoadError.tooLarge(reports: 3, reason: "together more than 13 days of profiled time")) {
            try ReportLoader.load([directory.url.path])
        }
        #expect(throws: ReportLoadError.self) { try ReportLoader.checkCombinable(two + [two[0]]) }
    }
}
