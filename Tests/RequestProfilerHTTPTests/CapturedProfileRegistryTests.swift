import Foundation
import Logging
import Testing
@testable import RequestProfilerHTTP

@Suite("Captured profile registry")
struct CapturedProfileRegistryTests {
    private func profile(_ file: String, route: String = "/a", trigger: CapturedProfile.Trigger = .auto) -> CapturedProfile {
        CapturedProfile(file: file, method: "GET", route: route, status: 200, durationNanoseconds: 1, timestampNanoseconds: 1, trigger: trigger)
    }

    @Test func capsAutomaticReportsPerRouteOldestFirst() {
        let registry = CapturedProfileRegistry()
        #expect(registry.register(profile("q1", trigger: .query), keepPerRoute: 2).isEmpty)
        #expect(registry.register(profile("a1"), keepPerRoute: 2).isEmpty)
        #expect(registry.register(profile("b1", route: "/b"), keepPerRoute: 2).isEmpty)
        #expect(registry.register(profile("a2"), keepPerRoute: 2).isEmpty)
        #expect(registry.register(profile("a3"), keepPerRoute: 2).map(\.file) == ["a1"])
        #expect(registry.all.map(\.file) == ["q1", "b1", "a2", "a3"], "query reports and other routes are not counted")
    }

    /// Past the capacity the oldest entry is forgotten: a `profile_save=1` report silently (its
    /// file is the user's), an automatic one handed back so that its file is deleted. Without
    /// that, a server with more routes than the list holds leaked a file per automatic report.
    @Test func aFullListHandsBackTheAutomaticReportsItForgets() {
        let registry = CapturedProfileRegistry(capacity: 3)
        #expect(registry.register(profile("q1", trigger: .query)).isEmpty)
        #expect(registry.register(profile("a1", route: "/a"), keepPerRoute: 20).isEmpty)
        #expect(registry.register(profile("b1", route: "/b"), keepPerRoute: 20).isEmpty)
        #expect(registry.register(profile("c1", route: "/c"), keepPerRoute: 20).isEmpty, "q1 forgotten, not handed back")
        #expect(registry.register(profile("d1", route: "/d"), keepPerRoute: 20).map(\.file) == ["a1"])
        #expect(registry.register(profile("q2", trigger: .query)).map(\.file) == ["b1"])
        #expect(registry.all.map(\.file) == ["c1", "d1", "q2"])
    }

    /// A full list forgets the busiest route's oldest report, not the oldest of all: with fifty
    /// busy routes at their twenty, a quiet route's only report (saved first) had its file
    /// deleted, and its REQ event named a file gone.
    @Test func aFullListForgetsTheBusiestRoutesOldestNotAQuietRoutesOnlyReport() {
        let registry = CapturedProfileRegistry(capacity: 1_000)
        #expect(registry.register(profile("quiet", route: "/quiet"), keepPerRoute: 20).isEmpty)
        var forgotten: [String] = []
        for round in 0..<21 {
            for route in 0..<50 {
                forgotten += registry.register(profile("r\(route)-\(round)", route: "/r\(route)"), keepPerRoute: 20).map(\.file)
            }
        }
        #expect(registry.contains(file: "quiet"))
        #expect(!forgotten.contains("quiet"))
        #expect(registry.all.count == 1_000)
        // Every busy route keeps its newest: none lost more than the one or two of its oldest.
        #expect(forgotten.count == 51)
        #expect(Set(forgotten.map { $0.split(separator: "-")[1] }) == ["0", "1"])
    }

    @Test func isBounded() {
        let registry = CapturedProfileRegistry(capacity: 3)
        for index in 0..<5 { registry.register(profile("f\(index)", trigger: .query)) }
        #expect(registry.all.map(\.file) == ["f2", "f3", "f4"])
        #expect(registry.contains(file: "f4") && !registry.contains(file: "f0"))
    }
}

/// The registry's index: what a restarted server still knows of the reports in its folder.
@Suite("Saved report index")
struct SavedProfileIndexTests {
    private func profile(_ file: String, route: String = "/a", trigger: CapturedProfile.Trigger = .auto, at time: UInt64 = 1) -> CapturedProfile {
        CapturedProfile(file: file, method: "GET", route: route, status: 200, durationNanoseconds: 1_500_000, timestampNanoseconds: time, trigger: trigger)
    }

    /// A registry as the core makes it for `folder`.
    private func registry(_ folder: ScratchDirectory, capacity: Int = 1_000) -> CapturedProfileRegistry {
        CapturedProfileRegistry(capacity: capacity, index: SavedProfileIndex(directory: folder.path, logger: .init(label: "test")))
    }

    private func saveReport(_ name: String, in folder: ScratchDirectory) throws {
        try Data("{}".utf8).write(to: URL(fileURLWithPath: folder.path + "/" + name))
    }

    private func indexLines(_ folder: ScratchDirectory) throws -> [String] {
        try String(contentsOfFile: folder.path + "/" + SavedProfileIndex.fileName, encoding: .utf8)
            .split(separator: "\n").map(String.init)
    }

    @Test func aRestartedRegistryListsTheReportsStillInTheFolder() throws {
        let folder = try ScratchDirectory("index-restart")
        defer { folder.remove() }
        let first = registry(folder)
        let saved = [
            profile("1-a.json", at: 10), profile("2-q.html", route: "/users/:id", trigger: .query, at: 20),
            profile("3-a.json", at: 30),
        ]
        for entry in saved {
            try saveReport(entry.file, in: folder)
            first.register(entry)
        }
        #expect(registry(folder).all == saved, "every field survives, in the order saved")

        // A report deleted by hand is not listed again, nor is its line kept.
        try FileManager.default.removeItem(atPath: folder.path + "/2-q.html")
        let second = registry(folder)
        #expect(second.all.map(\.file) == ["1-a.json", "3-a.json"])
        #expect(try indexLines(folder).count == 2)
        #expect(!folder.files().contains(SavedProfileIndex.fileName), "hidden: not taken for a report")
    }

    @Test func tornDuplicateAndHostileLinesAreSkipped() throws {
        let folder = try ScratchDirectory("index-torn")
        defer { folder.remove() }
        try saveReport("1.json", in: folder)
        try saveReport("2.json", in: folder)
        let index = folder.path + "/" + SavedProfileIndex.fileName
        let good = #"{"duration_ms":0.005,"file":"1.json","method":"GET","route":"/a","status":200,"trigger":"auto","ts_ns":1}"#
        let again = #"{"duration_ms":0.007,"file":"1.json","method":"GET","route":"/a","status":500,"trigger":"auto","ts_ns":1}"#
        let lines = [
            good,
            #"{"duration_ms":0.005,"file":"../../etc/passwd","method":"GET","route":"/a","status":200,"trigger":"auto","ts_ns":1}"#,
            #"{"duration_ms":0.005,"file":"2.json","method":"GET","route":"/a","status":200,"trigger":"sideways","ts_ns":1}"#,
            "not json",
            #"{"duration_ms":-1,"file":"2.json","method":"GET","route":"/a","status":200,"trigger":"auto","ts_ns":1}"#,
            again,
            #"{"duration_ms":0.005,"file":"2.json","method":"GET","ro"#,
        ]
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: index))
        let loaded = registry(folder).all
        #expect(loaded.map(\.file) == ["1.json"])
        #expect(loaded.first?.status == 500 && loaded.first?.durationNanoseconds == 7_000, "a file listed twice keeps its last line")
        #expect(try indexLines(folder) == [again], "rewritten clean")
    }

    /// A disk that filled up mid-line leaves the file without its last newline; the next
    /// line, once there is room again, must not be glued onto the torn one.
    @Test func aLineAppendedAfterATornOneIsKept() throws {
        let folder = try ScratchDirectory("index-torn-append")
        defer { folder.remove() }
        for name in ["1.json", "2.json", "3.json"] { try saveReport(name, in: folder) }
        let torn = #"{"duration_ms":1.5,"file":"1.json","method":"GET","route":"/a","status":200,"trigger":"auto","ts_ns":1}"#
            + "\n" + #"{"duration_ms":1.5,"file":"2.json","meth"#
        try Data(torn.utf8).write(to: URL(fileURLWithPath: folder.path + "/" + SavedProfileIndex.fileName))
        let index = SavedProfileIndex(directory: folder.path, logger: .init(label: "test"))
        #expect(index.append(profile("3.json", at: 3)))
        #expect(index.load().profiles.map(\.file) == ["1.json", "3.json"])
        #expect(index.append(profile("2.json", at: 2)))
        #expect(index.load().profiles.map(\.file) == ["1.json", "3.json", "2.json"], "a whole file adds no empty line")
        #expect(try indexLines(folder).count == 4)
    }

    @Test func theIndexStaysUnderTwiceTheCapacity() throws {
        let folder = try ScratchDirectory("index-bounded")
        defer { folder.remove() }
        let registry = registry(folder, capacity: 5)
        var longest = 0
        for number in 0..<40 {
            let name = "\(number).json"
            try saveReport(name, in: folder)
            for old in registry.register(profile(name, at: UInt64(number)), keepPerRoute: 3) {
                try FileManager.default.removeItem(atPath: folder.path + "/" + old.file)
            }
            longest = max(longest, try indexLines(folder).count)
        }
        #expect(longest <= 2 * 5 + 1, "longest index: \(longest) lines")
        #expect(self.registry(folder, capacity: 5).all.map(\.file) == ["37.json", "38.json", "39.json"])
    }

    /// An entry the index could not take (disk full for a while; here the index's name held by
    /// a folder) is written with the next one that it can: the report stayed on disk unknown
    /// to the next run, beyond the per-route cap and never deleted.
    @Test func entriesTheIndexMissedAreWrittenOnceItCanTakeThem() throws {
        let folder = try ScratchDirectory("index-missed")
        defer { folder.remove() }
        let indexPath = folder.path + "/" + SavedProfileIndex.fileName
        let first = registry(folder)
        try FileManager.default.createDirectory(atPath: indexPath, withIntermediateDirectories: false)
        for number in 1...3 {
            try saveReport("\(number).json", in: folder)
            first.register(profile("\(number).json", at: UInt64(number)), keepPerRoute: 20)
        }
        try FileManager.default.removeItem(atPath: indexPath)
        try saveReport("4.json", in: folder)
        first.register(profile("4.json", at: 4), keepPerRoute: 20)
        #expect(registry(folder).all.map(\.file) == ["1.json", "2.json", "3.json", "4.json"])
    }

    @Test func anUnwritableFolderCostsTheListNotTheRegistry() throws {
        let folder = try ScratchDirectory("index-unwritable")
        defer { folder.remove() }
        let registry = CapturedProfileRegistry(
            index: SavedProfileIndex(directory: folder.path + "/missing/deeper", logger: .init(label: "test")))
        #expect(registry.all.isEmpty)
        #expect(registry.register(profile("1.json")).isEmpty)
        #expect(registry.all.map(\.file) == ["1.json"])
    }

    @Test func automaticReportsBeyondTheCapacityAtStartUpAreHandedBackOnce() throws {
        let folder = try ScratchDirectory("index-capacity")
        defer { folder.remove() }
        let first = registry(folder, capacity: 10)
        for (number, trigger) in [CapturedProfile.Trigger.auto, .query, .auto, .auto, .auto].enumerated() {
            try saveReport("\(number).json", in: folder)
            first.register(profile("\(number).json", route: "/r\(number)", trigger: trigger, at: UInt64(number)))
        }
        let restarted = registry(folder, capacity: 2)
        #expect(restarted.all.map(\.file) == ["3.json", "4.json"])
        #expect(restarted.evictAutomatic(keepingPerRoute: 20).map(\.file) == ["0.json", "2.json"], "the query report is not handed back")
        #expect(restarted.evictAutomatic(keepingPerRoute: 20).isEmpty, "once")

        // Without auto-capture (nobody asks for evictions at start), the next save hands them back.
        let third = registry(folder, capacity: 1)
        try saveReport("5.json", in: folder)
        #expect(third.register(profile("5.json", route: "/r5", trigger: .query)).map(\.file) == ["3.json", "4.json"])
    }

    @Test func startingUnderASmallerCapEvictsTheEarlierRunsOldestReports() throws {
        let folder = try ScratchDirectory("index-cap")
        defer { folder.remove() }
        let first = registry(folder)
        for number in 0..<4 {
            try saveReport("a\(number).json", in: folder)
            first.register(profile("a\(number).json", at: UInt64(number)))
            try saveReport("b\(number).json", in: folder)
            first.register(profile("b\(number).json", route: "/b", at: UInt64(number)))
        }
        try saveReport("q.html", in: folder)
        first.register(profile("q.html", trigger: .query))
        let restarted = registry(folder)
        let evicted = restarted.evictAutomatic(keepingPerRoute: 2).map(\.file)
        #expect(evicted == ["a0.json", "b0.json", "a1.json", "b1.json"], "oldest first")
        #expect(restarted.all.map(\.file) == ["a2.json", "b2.json", "a3.json", "b3.json", "q.html"])
    }
}
