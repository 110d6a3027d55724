#if Vapor
import Foundation
import RequestProfiler
import RequestProfilerHTTP
import Testing
import Vapor
import VaporTesting

@Suite("Vapor middleware: saved reports")
struct VaporSavedReportTests {
    @Test func savedReportKeepsTheOriginalResponseAndNamesTheFile() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var settings = enabled
        settings.outputDirectory = directory
        try await withProfiledApp(settings) { app in
            let response = try await get(app, "users/42?profile=1&profile_format=speedscope")
            #expect(response.status == .ok)
            #expect(response.text == "user 42")
            let name = try #require(response.headers.first(name: "X-Profile-Report"))
            #expect(name.contains("-GET-users_id-"))
            let fileExtension = try Profile(frames: [], samples: [], metadata: .init()).render(as: .speedscope).fileExtension
            #expect(name.hasSuffix("." + fileExtension))
            let saved = try #require(FileManager.default.contents(atPath: directory + "/" + name))
            #expect(!saved.isEmpty)
        }
    }

    @Test(arguments: [
        "files/..%2F..%2F..%2Fetc%2Fpasswd?profile=1",
        "files/a/../../../../tmp/x?profile=1",
        "..%2F..%2Fescape?profile=1",
        "files/%00/evil?profile=1&profile_format=..%2F..%2Fjson",
        "files/x?profile=1&profile_save=1&route=../../..",
    ])
    func hostileRequestsCannotLeaveTheDirectory(path: String) async throws {
        let parent = temporaryDirectory()
        let directory = parent + "/reports"
        defer { try? FileManager.default.removeItem(atPath: parent) }
        var settings = enabled
        settings.outputDirectory = directory
        try await withProfiledApp(settings) { app in
            let response = try await get(app, path)
            guard response.status != .badRequest else { return }   // e.g. a format name refused
            let name = try #require(response.headers.first(name: "X-Profile-Report"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [name])
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["reports"])
            #expect(!name.contains("/") && !name.contains("..") && !name.hasPrefix("."))
        }
    }

    @Test func unwritableDirectoryLogsAndTheRequestSucceeds() async throws {
        let blocker = temporaryDirectory()
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data("not a directory".utf8)))
        defer { try? FileManager.default.removeItem(atPath: blocker) }
        var settings = enabled
        settings.outputDirectory = blocker + "/reports"
        try await withProfiledApp(settings) { app in
            let response = try await get(app, "users/7?profile=1")
            #expect(response.status == .ok)
            #expect(response.text == "user 7")
            #expect(response.headers.first(name: "X-Profile-Report") == nil)
            #expect(response.headers.first(name: "X-Profile-Skipped")?.contains("could not be saved") == true)
        }
    }
}
#endif
