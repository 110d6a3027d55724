import Foundation
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

    @Test func unwritableDirectoryThrows() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rp-not-a-dir-\(UInt64.random(in: 0...UInt64.max))").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(throws: (any Error).self) { try ReportWriter(directory: file + "/sub").write([1], as: "x.html") }
    }
}
