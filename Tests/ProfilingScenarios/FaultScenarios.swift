import Foundation
import RequestProfiler
import RequestProfilerHTTP
import Testing

/// Faults a profiled request can meet: its handler throws or runs past the time limit, its
/// report cannot be saved, its client goes away. Each time the request is answered (or, for
/// the vanished client, its concurrency slot comes back) and the server keeps serving: every
/// scenario ends with a plain request.
enum FaultScenarios {
    static let enabled = TriggerScenarios.enabled

    static func throwingHandlerIsAnsweredBothWays(_ harness: any ScenarioHarness) async throws {
        let directory = ReportScenarios.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var saving = enabled
        saving.outputDirectory = directory
        try await harness.withServer(enabled, state: ScenarioState()) { client in
            let replaced = try await client.get("fails?profile=1&profile_format=text")
            #expect(replaced.status == 200)
            #expect(replaced.header(ProfilingParameter.originalStatusHeader) == "418")
            #expect(replaced.text.contains("418"))
            try await expectStillServing(client)
        }
        try await harness.withServer(saving, state: ScenarioState()) { client in
            let original = try await client.get("fails?profile=1&profile_format=json")
            #expect(original.status == 418)
            let name = try #require(original.header(ProfilingParameter.reportHeader))
            #expect(FileManager.default.fileExists(atPath: directory + "/" + name))
            try await expectStillServing(client)
        }
    }

    /// A handler still running when PROFILING_MAX_DURATION is over: sampling stops, the handler
    /// runs to its end, and its response (or the report marked as cut) is sent.
    static func handlerPastTheTimeLimitCompletes(_ harness: any ScenarioHarness) async throws {
        var settings = enabled
        settings.maximumDuration = .milliseconds(20)
        for format in ["json", "text"] {
            let state = ScenarioState()
            try await harness.withServer(settings, state: state) { client in
                async let response = client.get("gate?profile=1&profile_format=\(format)")
                try await state.gateEntered.wait()
                try await Task.sleep(for: .milliseconds(200))  // ten times the limit
                state.gateOpen.set()
                let report = try await response
                #expect(report.status == 200)
                if format == "json" {
                    #expect(try ReportCheck.request(inJSON: report.body).1.truncated)
                } else {
                    #expect(report.text.contains("stopped early"))
                }
                try await expectStillServing(client)
            }
        }
    }

    static func unwritableReportFolderKeepsServing(_ harness: any ScenarioHarness) async throws {
        let blocker = ReportScenarios.temporaryDirectory()
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data("not a directory".utf8)))
        defer { try? FileManager.default.removeItem(atPath: blocker) }
        var settings = enabled
        settings.outputDirectory = blocker + "/reports"
        try await harness.withServer(settings, state: ScenarioState()) { client in
            for format in ProfileFormat.allCases {
                let response = try await client.get("users/9?profile=1&profile_format=\(format.rawValue)")
                #expect(response.status == 200)
                #expect(response.text == "user 9")
                #expect(response.header(ProfilingParameter.reportHeader) == nil)
                #expect(response.header(ProfilingParameter.skippedHeader)?.contains("could not be saved") == true)
            }
            try await expectStillServing(client)
        }
    }

    /// A reports folder whose disk is nearly full (here: a reserve larger than any disk): the
    /// report is not written, the request gets its own response and a header that says why.
    static func nearlyFullDiskKeepsServing(_ harness: any ScenarioHarness) async throws {
        let directory = ReportScenarios.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var settings = enabled
        settings.outputDirectory = directory
        settings.reportsKeepFree = DiskReserve(bytes: UInt64.max / 4)
        try await harness.withServer(settings, state: ScenarioState()) { client in
            let response = try await client.get("users/9?profile=1&profile_format=json")
            #expect(response.status == 200)
            #expect(response.text == "user 9")
            #expect(response.header(ProfilingParameter.reportHeader) == nil)
            #expect(response.header(ProfilingParameter.skippedHeader)?.contains("disk of the reports folder is nearly full") == true)
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).allSatisfy { $0.hasPrefix(".") })
            try await expectStillServing(client)
        }
    }

    /// The client closes its connection while its request is being profiled: the profile ends
    /// with the handler, its concurrency slot is freed (with a limit of one, the next profiled
    /// request is accepted), and the server keeps serving. Over loopback only (`Scenario.faults`
    /// pairs it with loopback harnesses): in memory there is no connection to drop.
    static func clientDisconnectingMidProfileFreesItsSlot(_ harness: any ScenarioHarness) async throws {
        var settings = enabled
        settings.maximumConcurrentProfiles = 1
        settings.overLimitPolicy = .reject
        let state = ScenarioState()
        try await harness.withServer(settings, state: state) { client in
            let port = try #require(client.loopbackPort, "a scenario over loopback only, run in memory")
            let socket = try RawConnection(port: port)
            try socket.send("GET /gate?profile=1&profile_format=html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            try await state.gateEntered.wait()
            socket.reset()  // RST, as a client that crashed or timed out would
            try await Task.sleep(for: .milliseconds(50))
            state.gateOpen.set()
            // The dropped request's slot comes back once its handler is done.
            var status = 0
            for _ in 0..<100 {
                let response = try await client.get("async?profile=1&profile_format=collapsed")
                status = response.status
                if status == 200 {
                    try ReportCheck.expectValid(response.body, format: .collapsed, route: "/async")
                    break
                }
                #expect(status == 429)
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(status == 200, "the disconnected request's concurrency slot was never freed")
            try await expectStillServing(client)
        }
    }

    static func expectStillServing(_ client: any ScenarioClient) async throws {
        let plain = try await client.get("plain")
        #expect(plain.status == 200)
        #expect(plain.text == "plain body")
    }
}
