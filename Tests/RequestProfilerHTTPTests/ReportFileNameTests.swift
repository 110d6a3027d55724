import Foundation
import ProfileReports
import Synchronization
import Testing
@testable import RequestProfilerHTTP

@Suite("Report file names and writing")
struct ReportFileNameTests {
    @Test func nameHasTimestampMethodRouteDurationExtension() {
        // 2026-11-21 21:57:00.123 UTC
        let name = ReportFileName.make(
            startTime: 1_795_298_220.123, method: "get", route: "/users/:id", durationNanoseconds: 153_400_000,
            fileExtension: "html")
        #expect(name == "20261121-215700.123-GET-users_id-153ms.html")
    }

    @Test func timestampMatchesFoundation() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss.SSS"
        for seconds in [0.0, 951_782_400.5, 1_709_164_800.999, 4_102_444_799.001] {
            #expect(ReportFileName.timestamp(seconds) == formatter.string(from: Date(timeIntervalSince1970: seconds)))
        }
    }

    /// `make` is public and takes any `Double`: converting these to an integer trapped.
    @Test func startTimesOutOfRangeGiveTheNearestNameInsteadOfTrapping() {
        func name(_ startTime: Double) -> String {
            ReportFileName.make(startTime: startTime, method: "GET", route: "/", durationNanoseconds: 0, fileExtension: "json")
        }
        for startTime in [Double.nan, -Double.infinity, -1e30, -0.5] {
            #expect(name(startTime) == "19700101-000000.000-GET-root-0ms.json", "\(startTime)")
        }
        for startTime in [Double.infinity, 1e300, 9.3e15] {
            #expect(name(startTime) == "99991231-235959.000-GET-root-0ms.json", "\(startTime)")
        }
    }

    /// The share is a public property: set directly, past the initializer's clamp, a negative
    /// or NaN share trapped on every save.
    @Test func aDiskReserveShareSetOutOfRangeIsTakenAsTheNearestEnd() {
        var reserve = DiskReserve.standard
        for (share, kept) in [(-0.05, 0.0), (.nan, 0), (.infinity, 1), (5, 1), (0.25, 0.25)] as [(Double, Double)] {
            reserve.fraction = share
            #expect(reserve.fraction == kept, "\(share)")
            #expect(reserve.bytesToKeepFree(onFileSystemOf: 1_000_000) == UInt64(1_000_000 * kept), "\(share)")
            #expect(!reserve.description.isEmpty)
        }
        #expect(DiskReserve(fraction: -1).fraction == 0)
    }

    @Test(arguments: [
        "../../etc/passwd", "/..", "..", "a/../../b", "\0/evil", "%2e%2e%2f", "C:\\Windows\\x", ".hidden",
        String(repeating: "x/", count: 500), "ünïcödé/路由", "",
    ])
    func hostileRoutesGiveAPlainName(route: String) {
        let name = ReportFileName.make(
            startTime: 0, method: "GET/../", route: route, durationNanoseconds: 0, fileExtension: "../json")
        #expect(ReportWriter.isPlainFileName(name))
        #expect(!name.contains(".."))
        #expect(name.count < 140)
        #expect(name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
    }

    /// A separator or a leading dot joined to a combining mark is one Character, equal to no
    /// `/` or `.`: the name is checked by its bytes, as the file system reads it.
    @Test(arguments: ["a/\u{301}b", "..\u{301}/x", ".\u{301}hidden", "a\\\u{301}b", "a\0\u{301}"])
    func separatorsJoinedToMarksAreNoPlainName(name: String) {
        #expect(!ReportWriter.isPlainFileName(name))
    }

    /// The dashboard serves only names of this shape: every name the sink makes has it, also
    /// with the writer's `-2` for a name taken; other files of the folder do not.
    @Test func everySavedReportNameIsServableAndNothingElse() {
        for format in ProfileFormat.allCases {
            for route in ["/users/:id", "/", nil, "ünïcödé/路由", String(repeating: "x/", count: 500)] {
                let name = ReportFileName.make(
                    startTime: 1_795_298_220.123, method: "get", route: route, durationNanoseconds: 153_400_000,
                    fileExtension: format.fileExtension)
                #expect(ReportFileName.isSavedReportName(name), "\(name)")
                let (stem, fileExtension) = ReportWriter.split(name)
                #expect(ReportFileName.isSavedReportName("\(stem)-2.\(fileExtension)"), "\(name)")
            }
        }
        for other in ["config.json", "Package.resolved", ".profiles.jsonl", "20261121-215700.123-GET-x-1ms.json.bak",
                      "20261121-215700.123-GET-x-1ms.sqlite", "20261121-215700.123-GET-x.json", "x20261121-215700.123-GET-x-1ms.json"] {
            #expect(!ReportFileName.isSavedReportName(other), "\(other)")
        }
    }

    @Test func writerNeverOverwritesAndStaysInItsDirectory() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rp-writer-\(UInt64.random(in: 0...UInt64.max))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = ReportWriter(directory: directory + "/nested")
        let first = try writer.write(Array("one".utf8), as: "a-GET-x-1ms.html")
        let second = try writer.write(Array("two".utf8), as: "a-GET-x-1ms.html")
        #expect(first == "a-GET-x-1ms.html")
        #expect(second == "a-GET-x-1ms-2.html")
        #expect(try String(contentsOfFile: directory + "/nested/" + first, encoding: .utf8) == "one")
        #expect(try String(contentsOfFile: directory + "/nested/" + second, encoding: .utf8) == "two")
        #expect(throws: (any Error).self) { try writer.write([], as: "../escape.html") }
        #expect(!FileManager.default.fileExists(atPath: directory + "/escape.html"))
    }

    /// A second report of the same millisecond, route and duration gets its number before the
    /// extension, not inside the timestamp, where it sorted (as text: the CLI's folder order,
    /// `ls`) before the reports written earlier in that second.
    @Test func aNumberedNameSortsAfterEarlierReports() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rp-writer-\(UInt64.random(in: 0...UInt64.max))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = ReportWriter(directory: directory)
        func name(_ startTime: Double) -> String {
            ReportFileName.make(
                startTime: startTime, method: "GET", route: "/hello", durationNanoseconds: 1_000_000,
                fileExtension: "speedscope.json")
        }
        let earlier = try writer.write(Array("x".utf8), as: name(1_795_000_000.050))
        let first = try writer.write(Array("x".utf8), as: name(1_795_000_000.123))
        let second = try writer.write(Array("x".utf8), as: name(1_795_000_000.123))
        #expect(second == first.replacingOccurrences(of: "-1ms.speedscope.json", with: "-1ms-2.speedscope.json"))
        #expect(earlier < second)
        #expect(try writer.write([], as: "plain") == "plain")
        #expect(try writer.write([], as: "plain") == "plain-2")
    }

    /// Reports appear whole under their names (published from a hidden temporary file), and
    /// writers racing for one name each get a name of their own.
    @Test func concurrentWritersOfOneNameEachPublishAWholeReport() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rp-writer-race-\(UInt64.random(in: 0...UInt64.max))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = ReportWriter(directory: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let contents = (0..<40).map { String(repeating: "report \($0) ", count: 50_000) }
        let whole = Set(contents)
        // A reader that keeps reading every visible report while they are written, as
        // `request-profiler merge` on a live folder would.
        let writing = StillWriting()
        let reader = Task.detached { () -> [String] in
            var torn: [String] = []
            while writing.flag.load(ordering: .relaxed) {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where !name.hasPrefix(".") {
                    if let data = FileManager.default.contents(atPath: directory + "/" + name),
                        !whole.contains(String(decoding: data, as: UTF8.self))
                    {
                        torn.append("\(name): \(data.count) bytes")
                    }
                }
            }
            return torn
        }
        let names = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for (index, text) in contents.enumerated() {
                group.addTask { (index, try writer.write(Array(text.utf8), as: "b-GET-x-1ms.json")) }
            }
            return try await group.reduce(into: [Int: String]()) { $0[$1.0] = $1.1 }
        }
        writing.flag.store(false, ordering: .relaxed)
        let torn = await reader.value
        #expect(torn.isEmpty, "read half-written: \(torn.prefix(5))")
        #expect(Set(names.values).count == contents.count)
        for (index, name) in names {
            #expect(try String(contentsOfFile: directory + "/" + name, encoding: .utf8) == contents[index], "\(name)")
        }
        let listed = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(listed.sorted() == Set(names.values).sorted(), "no temporary file is left behind")
    }

    /// A process killed between writing and publishing leaves its temporary file; the next
    /// start deletes the old ones, not a young one another server may be writing, nor reports.
    @Test func leftoverTemporaryFilesAreDeletedWhenOld() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rp-writer-leftovers-\(UInt64.random(in: 0...UInt64.max))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = ReportWriter(directory: directory)
        let report = try writer.write(Array("whole".utf8), as: "c-GET-x-1ms.html")
        // Old: the leftover (hex, as the writer names them), a user's own `.report-notes.tmp`
        // and the report; young: another writer's file.
        for name in [".report-0dd0.tmp", ".report-notes.tmp", ".report-1234abcd.tmp"] {
            #expect(FileManager.default.createFile(atPath: directory + "/" + name, contents: Data("half".utf8)))
        }
        for name in [".report-0dd0.tmp", ".report-notes.tmp", report] {
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3_600)], ofItemAtPath: directory + "/" + name)
        }
        #expect(writer.removeLeftoverTemporaryFiles() == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == [".report-1234abcd.tmp", ".report-notes.tmp", report])
    }

    @Test func unwritableDirectoryThrows() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rp-not-a-dir-\(UInt64.random(in: 0...UInt64.max))").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(throws: (any Error).self) { try ReportWriter(directory: file + "/sub").write([1], as: "x.html") }
    }

    /// A report that would leave less than the reserve free is not written, with an error that
    /// says how much is free and what is kept; nothing is left behind. No reserve: written.
    @Test func aReportCrossingTheDiskReserveIsRefused() throws {
        let directory = NSTemporaryDirectory() + "rp-reserve-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let refusing = ReportWriter(directory: directory, keepingFree: DiskReserve(bytes: UInt64.max / 4))
        #expect {
            try refusing.write(Array(repeating: 7, count: 100), as: "a.json")
        } throws: { error in
            let error = try #require(error as? DiskNearlyFullError)
            return error.reportBytes == 100 && error.keptFreeBytes == UInt64.max / 4
                && "\(error)".contains("free on the file system of \(directory)") && "\(error)".contains("PROFILING_OUTPUT_KEEP_FREE")
        }
        #expect {
            try ReportWriter(directory: directory, keepingFree: DiskReserve(fraction: 1)).write([1], as: "b.json")
        } throws: { $0 is DiskNearlyFullError }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        #expect(try ReportWriter(directory: directory, keepingFree: .standard).write([1], as: "c.json") == "c.json")
        #expect(try ReportWriter(directory: directory).write([1], as: "d.json") == "d.json")
    }

    /// A file system that reports no size (ramfs, an unlimited tmpfs, some FUSE mounts) says
    /// nothing about its free space: written, not refused as "0 B free".
    @Test func aFileSystemOfUnknownSizeIsWrittenTo() {
        #expect(ReportWriter.refusal(blocks: 0, availableBlocks: 0, blockSize: 4096, reportBytes: 100, reserve: .standard, directory: "d") == nil)
        #expect(ReportWriter.refusal(blocks: 0, availableBlocks: 0, blockSize: 4096, reportBytes: 100, reserve: DiskReserve(bytes: 10), directory: "d") == nil)
        // 10,000 blocks of 4 KB (41 MB), 5% kept (2 MB): 3 MB free takes a report of 1 MB, not one of 1.1 MB.
        let reserve = DiskReserve.standard
        #expect(ReportWriter.refusal(blocks: 10_000, availableBlocks: 750, blockSize: 4096, reportBytes: 1_000_000, reserve: reserve, directory: "d") == nil)
        let refused = ReportWriter.refusal(blocks: 10_000, availableBlocks: 750, blockSize: 4096, reportBytes: 1_100_000, reserve: reserve, directory: "d")
        #expect(refused?.availableBytes == 3_072_000 && refused?.keptFreeBytes == 2_048_000)
    }

    /// Reports of a few KB run a file system out of inodes long before out of bytes, and then
    /// nothing can be created on it: the reserve's share of the inodes is kept free too.
    @Test func theReserveKeepsInodesFreeToo() throws {
        // 100,000 inodes, 5% kept: 5,001 free take a report, 5,000 do not.
        #expect(ReportWriter.refusal(files: 100_000, availableFiles: 5_001, reportBytes: 4_000, reserve: .standard, directory: "d") == nil)
        let refused = try #require(ReportWriter.refusal(files: 100_000, availableFiles: 5_000, reportBytes: 4_000, reserve: .standard, directory: "d"))
        #expect(refused.files?.available == 5_000 && refused.files?.keptFree == 5_000)
        #expect("\(refused)".contains("only 5000 more files can be created on the file system of d") && "\(refused)".contains("PROFILING_OUTPUT_KEEP_FREE"))
        // A size-only reserve keeps no inodes but the new file's own; a file system that does
        // not count them (btrfs) is written to.
        #expect(ReportWriter.refusal(files: 100_000, availableFiles: 1, reportBytes: 4_000, reserve: DiskReserve(bytes: 10), directory: "d") == nil)
        #expect(ReportWriter.refusal(files: 100_000, availableFiles: 0, reportBytes: 4_000, reserve: DiskReserve(bytes: 10), directory: "d") != nil)
        #expect(ReportWriter.refusal(files: 0, availableFiles: 0, reportBytes: 4_000, reserve: .standard, directory: "d") == nil)
    }
}

/// Tells the reader of `concurrentWritersOfOneNameEachPublishAWholeReport` when to stop.
private final class StillWriting: Sendable {
    let flag = Atomic<Bool>(true)
}
