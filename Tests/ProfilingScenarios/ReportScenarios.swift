import Foundation
import RequestProfiler
import RequestProfilerHTTP
import Testing

/// Scenarios for the sink stage: reports in place of the response, and saved reports.
enum ReportScenarios {
    static let enabled = TriggerScenarios.enabled

    static func everyFormatReplacesTheResponse(_ harness: any ScenarioHarness, format: ProfileFormat) async throws {
        try await harness.withServer(enabled, state: ScenarioState()) { client in
            let response = try await client.get("async?profile=1&profile_format=\(format.rawValue)")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == format.contentType)
            #expect(response.header("X-Profile-Original-Status") == "200")
            try ReportCheck.expectValid(response.body, format: format, route: "/async")
        }
    }

    static func defaultFormatComesFromTheSettings(_ harness: any ScenarioHarness) async throws {
        var settings = enabled
        settings.defaultFormat = .collapsed
        try await harness.withServer(settings, state: ScenarioState()) { client in
            let response = try await client.get("async?profile=true")
            #expect(response.header("Content-Type") == ProfileFormat.collapsed.contentType)
        }
    }

    /// The report names method, route template, status and duration; a handler error's status too.
    static func reportDescribesTheRequest(_ harness: any ScenarioHarness) async throws {
        try await harness.withServer(enabled, state: ScenarioState()) { client in
            let users = try await client.get("users/42?profile=1&profile_format=json")
            let (request, metadata) = try ReportCheck.request(inJSON: users.body)
            #expect(request == RequestInfo(method: "GET", path: "/users/42", route: harness.usersRouteTemplate, status: 200))
            #expect(metadata.durationNanoseconds > 0)
            #expect(metadata.truncated == false)
            let failing = try await client.get("fails?profile=1&profile_format=json")
            #expect(failing.status == 200)
            #expect(failing.header("X-Profile-Original-Status") == "418")
            #expect(try ReportCheck.request(inJSON: failing.body).0?.status == 418)
        }
    }

    static func maximumDurationCutsTheReport(_ harness: any ScenarioHarness) async throws {
        var settings = enabled
        settings.maximumDuration = .milliseconds(20)
        try await harness.withServer(settings, state: ScenarioState()) { client in
            let json = try await client.get("async?profile=1&profile_format=json")
            #expect(json.text.hasPrefix("{"))
            #expect(try ReportCheck.request(inJSON: json.body).1.truncated)
            let text = try await client.get("async?profile=1&profile_format=text")
            #expect(text.text.contains("stopped early"))
        }
    }

    static func savedReportKeepsTheOriginalResponse(_ harness: any ScenarioHarness) async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var settings = enabled
        settings.outputDirectory = directory
        try await harness.withServer(settings, state: ScenarioState()) { client in
            let response = try await client.get("users/42?profile=1&profile_format=speedscope")
            #expect(response.status == 200)
            #expect(response.text == "user 42")
            let name = try #require(response.header("X-Profile-Report"))
            #expect(name.contains("-GET-users_id-"))
            #expect(name.hasSuffix(".speedscope.json"))
            let saved = try #require(FileManager.default.contents(atPath: directory + "/" + name))
            try ReportCheck.expectValid(Array(saved), format: .speedscope, route: harness.usersRouteTemplate)
        }
    }

    /// Requests whose path, route or query try to steer the file name out of the directory.
    static let hostilePaths = [
        "files/..%2F..%2F..%2Fetc%2Fpasswd?profile=1",
        "files/a/../../../../tmp/x?profile=1",
        "..%2F..%2Fescape?profile=1",
        "files/%00/evil?profile=1&profile_format=..%2F..%2Fjson",
        "files/x?profile=1&profile_save=1&route=../../..",
    ]

    static func hostileRequestsCannotLeaveTheDirectory(_ harness: any ScenarioHarness, path: String) async throws {
        let parent = temporaryDirectory()
        let directory = parent + "/reports"
        defer { try? FileManager.default.removeItem(atPath: parent) }
        var settings = enabled
        settings.outputDirectory = directory
        try await harness.withServer(settings, state: ScenarioState()) { client in
            let response = try await client.get(path)
            if response.status == 400 {  // a format name refused before anything is written
                #expect(!FileManager.default.fileExists(atPath: directory))
                return
            }
            let name = try #require(response.header("X-Profile-Report"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [name])
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["reports"])
            #expect(!name.contains("/") && !name.contains("..") && !name.hasPrefix("."))
        }
    }

    /// A fresh path under the system temporary directory.
    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("rp-scenario-\(UUID().uuidString)").path
    }
}
