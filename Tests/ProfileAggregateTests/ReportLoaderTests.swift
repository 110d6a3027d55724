import Foundation
import ProfileModel
import ProfileReports
import ReportTestSupport
import Testing

@testable import ProfileAggregate

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

    /// `report` holding half the profiled time a report may (two fit together, three do not),
    /// of `route` when one is given.
    static func halfTheLimit(route: String? = nil) throws -> Data {
        try editing { object in
            var metadata = object["metadata"] as! [String: Any]
            metadata["durationNanoseconds"] = NSNumber(value: JSONReport.largestNanoseconds / 2)
            if let route {
                var request = metadata["request"] as! [String: Any]
                request["route"] = route
                metadata["request"] = request
            }
            object["metadata"] = metadata
        }
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
    /// server's auto-capture deleting a route's oldest report) is passed over. A file named on
    /// its own must still be there.
    @Test func aFolderIsReadAsItIsWhileAServerWritesIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let kept = try directory.write(Self.report, to: "a.json").path
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("archive.json"), withIntermediateDirectories: false)
        let gone = directory.url.appendingPathComponent("gone.json").path

        let loaded = try ReportLoader.load([directory.url.path])
        #expect(loaded.map(\.path) == [kept])
        // As listed before auto-capture deleted it.
        let listed = try ReportLoader.load(files: [(kept, true), (gone, true)], keeping: { _ in true })
        #expect(listed.paths == [kept])
        #expect(throws: ReportLoadError.unreadable(path: gone, reason: "no such file or folder")) { try ReportLoader.load([kept, gone]) }
    }

    /// A symbolic link to a missing file is still listed in its folder: it is not a report
    /// deleted since the listing, and was passed over as one without a word; a folder of
    /// nothing but such links said "no reports given". It is an error naming the link.
    @Test func aLinkToAMissingFileIsAnErrorNamingIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let kept = try directory.write(Self.report, to: "a.json").path
        let link = directory.url.appendingPathComponent("x.json").path
        let target = directory.url.appendingPathComponent("moved/x.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let dangling = ReportLoadError.unreadable(path: link, reason: "a symbolic link to a missing file \(target)")

        #expect(throws: dangling) { try ReportLoader.load([directory.url.path]) }
        #expect(throws: dangling) { try ReportLoader.load([kept, link]) }
        try FileManager.default.removeItem(atPath: kept)
        #expect(throws: dangling) { try ReportLoader.load([directory.url.path]) }
    }

    /// `café.json` composed (U+00E9) and decomposed (e + U+0301) are two files on ext4, but
    /// equal Strings: a folder holding both read one and passed over the other without a word.
    /// Files are told apart by device and inode; a link to a file already read still counts once.
    @Test func canonicallyEquivalentFileNamesAreTwoReports() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let composed = "caf\u{E9}.json", decomposed = "cafe\u{301}.json"
        _ = try directory.write(Self.report, to: composed)
        _ = try directory.write(try RequestFixtures.request(price: 40, audit: 5, load: 10).render(as: .json).bytes, to: decomposed)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        try #require(Set(names.map { Array($0.unicodeScalars) }).count == 2, "the file system kept one name: \(names)")

        let loaded = try ReportLoader.load([directory.url.path])
        #expect(loaded.count == 2, "\(loaded.map(\.path))")
        #expect(Set(loaded.map { Array(URL(fileURLWithPath: $0.path).lastPathComponent.unicodeScalars) })
            == [Array(composed.unicodeScalars), Array(decomposed.unicodeScalars)])

        let link = directory.url.appendingPathComponent("link.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: directory.url.appendingPathComponent(composed).path)
        #expect(try ReportLoader.load([directory.url.path, link]).count == 2, "a link to a report read is no third report")
    }

    /// A folder's names are told apart byte by byte, as the file system names files: a `.`
    /// after a prepended mark (U+0600) is one Character with it, and a `.` followed by a
    /// combining mark is one too; `x\u{600}.speedscope.json` was read as a report (and refused
    /// the whole folder), and `.\u{301}notes.json`, a hidden file, was read.
    @Test func reportNamesAreReadByteByByte() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let report = try directory.write(Self.report, to: "a.json").path
        _ = try directory.write(Array(#"{"$schema":"https://www.speedscope.app/file-format-schema.json"}"#.utf8), to: "x\u{600}.speedscope.json")
        _ = try directory.write(Array("not json".utf8), to: ".\u{301}notes.json")
        #expect(!ReportLoader.isJSONReportName("x\u{600}.speedscope.json"))
        #expect(ReportLoader.isJSONReportName("x\u{600}.json") && ReportLoader.isJSONReportName("caf\u{E9}.json"))
        #expect(try ReportLoader.load([directory.url.path]).map(\.path) == [report])
    }

    /// A path that cannot be looked at says why, as `stat` does: a file under a folder the
    /// user may not search was "no such file or folder" (EACCES, seen only as non-root; a
    /// file where a folder should be, ENOTDIR, shows the same path as root).
    @Test func aPathThatCannotBeLookedAtSaysWhy() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write(Self.report, to: "a.json").path
        let under = file + "/b.json"
        #expect(throws: ReportLoadError.unreadable(path: under, reason: "Not a directory")) { try ReportLoader.load([under]) }
        let missing = directory.url.appendingPathComponent("missing.json").path
        #expect(throws: ReportLoadError.unreadable(path: missing, reason: "no such file or folder")) { try ReportLoader.load([missing]) }
    }

    /// Reports whose sums would exceed what one report may hold are refused with a reason,
    /// instead of a merge writing a report no later command reads (or overflowing its sums).
    @Test func reportsTooLargeTogetherAreRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let half = try Self.halfTheLimit()
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

    /// The sums are checked as each report is read: the file after the one that crosses a
    /// limit is never read. Checked once all were read, a folder of many large reports was
    /// decoded and held whole before it was refused (here: the last file's own error came
    /// first).
    @Test func readingStopsAtTheReportThatCrossesALimit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let half = try Self.halfTheLimit()
        for name in ["a.json", "b.json", "c.json"] { _ = try directory.write([UInt8](half), to: name) }
        _ = try directory.write(Array("not a report".utf8), to: "d.json")
        #expect(throws: ReportLoadError.tooLarge(reports: 3, reason: "together more than 13 days of profiled time")) {
            try ReportLoader.load([directory.url.path])
        }
    }

    /// A request whose handler called `count` functions of its own, named after `module`, one
    /// sample each: reports of different modules share no frame but `main`.
    static func wideReport(_ module: String, functions count: Int) throws -> Data {
        var frames = [Frame(name: "main", image: "Shop", kind: .application)]
        var samples: [Sample] = []
        for index in 0..<count {
            frames.append(Frame(name: "\(module).function\(index)()", image: module, file: "/src/\(module)/File\(index).swift", line: index + 1, kind: .application))
            samples.append(Sample(stack: [0, index + 1], timeNanoseconds: UInt64(index) * 1_000_000, wallNanoseconds: 1_000_000, cpuNanoseconds: 1_000_000, state: .running))
        }
        let metadata = ProfileMetadata(
            startTime: 1_763_676_000, durationNanoseconds: UInt64(count) * 1_000_000, intervalNanoseconds: 1_000_000,
            cpuNanoseconds: UInt64(count) * 1_000_000, threadID: 7,
            request: RequestInfo(method: "GET", path: "/orders/1", route: "/orders/:id", status: 200))
        return Data(try Profile(frames: frames, samples: samples, metadata: metadata).render(as: .json).bytes)
    }

    /// A merge of reports of distinct frames holds about as many values as they do together,
    /// and adds per-frame statistics: two reports of 9 million values each, each within the 16
    /// million a file may hold, merged into a json report the loader refused. Such a merge (and
    /// a diff) is now refused instead of written. Here at the scale of 2,000 functions, with
    /// the file limits of the test: each input just within them.
    @Test func aMergeTooLargeToLoadAgainIsNotWritten() throws {
        let inputs = [try Self.wideReport("Billing", functions: 2_000), try Self.wideReport("Search", functions: 2_000)]
        let limits = ReportFileLimits(
            bytes: inputs.map(\.count).max()!, jsonValues: inputs.map { JSONValueCount.count(in: $0) }.max()!)
        let reports = try inputs.enumerated().map { index, data in try ReportLoader.decode(data, path: "\(index).json", limits: limits) }
        let aggregate = AggregateProfile(reports: reports)

        // Within the standard limits the merge is written, and it holds more than the test's.
        let merged = try aggregate.render(as: .json)
        #expect(JSONValueCount.count(in: merged.bytes) > 2 * limits.jsonValues, "more values than both inputs together")
        #expect(throws: ReportLoadError.malformed(path: "merged.json", reason: "more than \(limits.jsonValues) JSON values, more than a report of its size holds")) {
            try ReportLoader.decode(Data(merged.bytes), path: "merged.json", limits: limits)
        }

        #expect(throws: ReportLoadError.tooLarge(
            reports: 2, reason: "a merge of them as json is larger than the \(limits.bytes) bytes a report file may be")) {
            try aggregate.render(as: .json, options: RenderOptions(), limits: limits)
        }
        let manyValues = ReportFileLimits(bytes: .max, jsonValues: limits.jsonValues)
        #expect(throws: ReportLoadError.tooLarge(
            reports: 2, reason: "a merge of them as json holds more than the \(limits.jsonValues) JSON values a report file may")) {
            try aggregate.render(as: .json, options: RenderOptions(), limits: manyValues)
        }
        let diff = ProfileDiff(before: [reports[0]], after: [reports[1]])
        #expect(throws: ReportLoadError.tooLarge(
            reports: 2, reason: "a diff of them as json holds more than the \(limits.jsonValues) JSON values a report file may")) {
            try diff.render(as: .json, options: RenderOptions(), limits: manyValues)
        }
        // Other formats are not read back: they are written whatever their size.
        #expect(throws: Never.self) { try aggregate.render(as: .text, options: RenderOptions(), limits: manyValues) }
    }

    /// `report` with `leaves` leaf nodes of `cpu` CPU and no wall time under the root's first
    /// child, and the metadata's CPU left as it was.
    static func withCPULeaves(_ leaves: Int, cpu: UInt64) throws -> Data {
        try editing { object in
            var root = object["root"] as! [String: Any]
            var children = root["children"] as! [[String: Any]]
            var leaf = children[0]
            leaf["children"] = []
            leaf["totalNanoseconds"] = 0
            leaf["selfNanoseconds"] = 0
            leaf["cpuNanoseconds"] = NSNumber(value: cpu)
            leaf["selfCPUNanoseconds"] = NSNumber(value: cpu)
            leaf["sampleCount"] = 0
            children[0]["children"] = Array(repeating: leaf, count: leaves)
            children[0]["cpuNanoseconds"] = 0
            root["children"] = children
            object["root"] = root
        }
    }

    /// CPU is bounded over the whole tree like wall time: leaves of 2^50 ns each under
    /// parents of none passed every per-node check, and 2^65 ns summed for one frame trapped
    /// `summary`, `merge` and the dashboard's aggregate view.
    @Test func aTreeWhoseCPUAddsUpBeyondRangeIsMalformed() throws {
        let limit = JSONReport.largestNanoseconds
        #expect(throws: Never.self) { try ReportLoader.decode(try Self.withCPULeaves(15, cpu: limit), path: "x.json") }
        #expect(throws: ReportLoadError.malformed(path: "x.json", reason: "the tree's times add up beyond range")) {
            try ReportLoader.decode(try Self.withCPULeaves(17, cpu: limit), path: "x.json")
        }
    }

    /// Reports are combined only while their rebuilt CPU stays within one report's limit, even
    /// when their metadata says less, so that what a merge writes loads again.
    @Test func reportsWhoseRebuiltCPUIsTooLargeTogetherAreRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let half = try Self.withCPULeaves(1, cpu: JSONReport.largestNanoseconds / 2 - 1_000_000_000)
        for name in ["a.json", "b.json"] { _ = try directory.write([UInt8](half), to: name) }
        let two = try ReportLoader.load([directory.url.path])
        let merged = try ReportCollection.merge(reports: two, format: .json)
        #expect(throws: Never.self, "what a merge writes loads again") { try ReportLoader.decode(Data(merged.bytes), path: "merged.json") }
        _ = try directory.write([UInt8](half), to: "c.json")
        #expect(throws: ReportLoadError.tooLarge(reports: 3, reason: "together more than 13 days of profiled time")) {
            try ReportLoader.load([directory.url.path])
        }
    }

    /// Notes are bounded per report, and a merge keeps each distinct note once, within that
    /// bound: 300,000 distinct notes in one file held `merge` for minutes (each compared with
    /// all kept before).
    @Test func notesAreBoundedAndAMergeKeepsEachOnce() throws {
        func withNotes(_ notes: [String]) throws -> Data {
            try Self.editing { object in
                var metadata = object["metadata"] as! [String: Any]
                metadata["notes"] = notes
                object["metadata"] = metadata
            }
        }
        #expect(throws: ReportLoadError.malformed(path: "x.json", reason: "metadata.notes: more than 64 notes")) {
            try ReportLoader.decode(try withNotes((0...64).map { "note \($0)" }), path: "x.json")
        }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write([UInt8](try withNotes(["shared"] + (0..<40).map { "a\($0)" })), to: "a.json")
        _ = try directory.write([UInt8](try withNotes(["shared"] + (0..<40).map { "b\($0)" })), to: "b.json")
        let merged = try ReportLoader.decode(
            Data(try ReportCollection.merge(reports: try ReportLoader.load([directory.url.path]), format: .json).bytes), path: "merged.json")
        let notes = merged.report.metadata.notes
        #expect(notes.count <= JSONReport.mostNotes)
        #expect(notes.filter { $0 == "shared" }.count == 1)
        #expect(notes.contains("19 more notes of the merged reports are left out"))
    }

    /// Reports a filter leaves out are read and checked, but neither held nor counted against
    /// what the kept ones may hold together: one route picked from an auto-capture folder
    /// shared by large reports of others was refused as "too many to combine".
    @Test func reportsLeftOutByAFilterDoNotCountAgainstTheOthers() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let large = try Self.halfTheLimit(route: "/exports/:id")
        for name in ["b1.json", "b2.json", "b3.json"] { _ = try directory.write([UInt8](large), to: name) }
        for name in ["a1.json", "a2.json"] { _ = try directory.write(Self.report, to: name) }
        // a1, a2, b1 and b2, which crosses the limit; b3 is not read.
        #expect(throws: ReportLoadError.tooLarge(reports: 4, reason: "together more than 13 days of profiled time")) {
            try ReportLoader.load([directory.url.path])
        }
        let orders = try ReportLoader.load([directory.url.path]) { $0.metadata.request?.route == "/orders/:id" }
        #expect(orders.kept.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["a1.json", "a2.json"])
        #expect(orders.paths.count == 5, "every file read is listed")
        #expect(orders.leftOut.map { $0?.route } == ["/exports/:id", "/exports/:id", "/exports/:id"])
        let none = try ReportLoader.load([directory.url.path]) { _ in false }
        #expect(none.kept.isEmpty && none.leftOut.count == 5)
    }

    /// A file's JSON values are counted before it is decoded: 120 MB of one array of zeros
    /// took 2.9 GB to decode (3.4 GB to read its schema before). Commas inside strings are no
    /// values.
    @Test func aFileOfTooManyJSONValuesIsRefusedBeforeItIsDecoded() throws {
        let head = #"{"schema":"swift-request-profiler.report","schemaVersion":1,"x":"#
        var zeros = [UInt8](head.utf8) + [UInt8(ascii: "[")]
        zeros += [UInt8](repeating: 0, count: 16_000_001 * 2)
        for index in stride(from: head.utf8.count + 1, to: zeros.count, by: 2) {
            zeros[index] = UInt8(ascii: "0")
            zeros[index + 1] = UInt8(ascii: ",")
        }
        zeros[zeros.count - 1] = UInt8(ascii: "]")
        zeros.append(UInt8(ascii: "}"))
        #expect(throws: ReportLoadError.malformed(
            path: "zeros.json", reason: "more than 16 million JSON values, more than a report of its size holds")) {
            try ReportLoader.decode(Data(zeros), path: "zeros.json")
        }

        var commas = [UInt8](head.utf8) + [UInt8(ascii: "\"")]
        commas += [UInt8](repeating: UInt8(ascii: ","), count: 16_000_001) + [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
        commas += [UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "}")]
        do {
            _ = try ReportLoader.decode(Data(commas), path: "commas.json")
            Issue.record("an incomplete report was accepted")
        } catch {
            #expect(!error.description.contains("JSON values"), "commas inside a string counted as values: \(error)")
        }
    }
}
