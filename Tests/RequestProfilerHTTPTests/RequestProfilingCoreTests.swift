import Foundation
import ReportTestSupport
import Testing
@testable import RequestProfilerHTTP

@inline(never) private func coreTestWork() -> Int {
    var total = 0
    let deadline = ContinuousClock.now + .milliseconds(30)
    while ContinuousClock.now < deadline { for value in 0..<1_000 { total &+= value &* 7 } }
    return total
}

private struct HandlerFailure: Error {}

@Suite("Core: trigger -> session -> sink with the real sampler")
struct RequestProfilingCoreTests {
    private func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("rp-core-\(UUID().uuidString)").path
    }

    private func handle(
        _ core: RequestProfilingCore, _ query: String, next: () async throws -> Int
    ) async throws -> ProfilingOutcome<Int> {
        try await core.handle(
            rawQuery: query, header: { _ in nil }, method: "GET", path: "/work/1", route: { "/work/:id" },
            status: { result in (try? result.get()) == nil ? 503 : 200 }, next: next)
    }

    /// Profiling or the dashboard turned on without a token is said once at start, so the
    /// operator knows anyone who reaches the server can use it; with tokens, nothing is said.
    @Test func enablingWithoutATokenIsLoggedOnce() throws {
        // A folder of its own: the dashboard reads (and tidies) the reports folder's index.
        let reports = try ScratchDirectory("core-token-warnings")
        defer { reports.remove() }
        let open = LogCapture()
        _ = RequestProfilingCore(
            settings: ProfilingSettings(isEnabled: true, outputDirectory: reports.path, dashboard: DashboardSettings(prefix: "/_p")),
            logger: open.logger)
        let warnings = open.messages.filter { $0.hasPrefix("warning: ") }
        #expect(warnings.count == 2, "\(open.messages)")
        #expect(warnings.contains { $0.contains("without PROFILING_TOKEN") })
        #expect(warnings.contains { $0.contains("/_p has no PROFILING_DASHBOARD_TOKEN") })

        let guarded = LogCapture()
        _ = RequestProfilingCore(
            settings: ProfilingSettings(
                isEnabled: true, outputDirectory: reports.path, token: "t", dashboard: DashboardSettings(prefix: "/_p", token: "d")),
            logger: guarded.logger)
        #expect(!guarded.messages.contains { $0.hasPrefix("warning: ") || $0.hasPrefix("error: ") }, "\(guarded.messages)")
    }

    @Test func printsTheTextReportToTheLog() async throws {
        let log = LogCapture()
        let core = RequestProfilingCore(settings: ProfilingSettings(isEnabled: true, printsReports: true), logger: log.logger)
        let outcome = try await handle(core, "profile=1&profile_format=json") { coreTestWork() }
        guard case .replaced(let report) = outcome else {
            Issue.record("expected the report in place of the response")
            return
        }
        #expect(report.headers.contains(HTTPHeaderField("Content-Type", "application/json")))
        // A report answered to a token holder must not be kept by a shared cache and served to
        // anyone; an html report's script runs in an origin of its own, not as the app.
        #expect(report.headers.contains(HTTPHeaderField("Cache-Control", "no-store")))
        #expect(report.headers.contains(HTTPHeaderField("Content-Security-Policy", "sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'")))
        #expect(report.headers.contains(HTTPHeaderField("X-Content-Type-Options", "nosniff")))
        // The sample count travels in a header: 30 ms of work at 1 ms gives about 30.
        let samples = try #require(report.headers.first { $0.name == ProfilingParameter.samplesHeader }.flatMap { Int($0.value) })
        #expect((10...60).contains(samples), "X-Profile-Samples: \(samples)")
        let printed = try #require(log.messages.first { $0.contains("request profiler report") })
        #expect(printed.contains("GET /work/:id -> 200"))
        #expect(printed.contains("coreTestWork"))
    }

    /// A requested report is rendered and saved on the thread requested profiles are built
    /// on, not on the cooperative pool: rendering a long profile (hundreds of ms) or a save
    /// stuck on a slow reports folder held one of a two-core server's two request threads.
    @Test func aRequestedReportIsRenderedAndSavedOffTheRequestThreads() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = LogCapture()
        let core = RequestProfilingCore(
            settings: ProfilingSettings(isEnabled: true, outputDirectory: directory, printsReports: true), logger: log.logger)
        let outcome = try await handle(core, "profile=1&profile_format=html") { coreTestWork() }
        guard case .original(let result, let headers) = outcome else {
            Issue.record("expected the handler's own response, the report saved")
            return
        }
        #expect(try result.get() != 0)
        #expect(headers.contains { $0.name == ProfilingParameter.reportHeader })
        let entries = log.messagesWithThreads
        let saved = try #require(entries.first { $0.message.contains("saved \(directory)/") }, "\(entries.map(\.message))")
        let printed = try #require(entries.first { $0.message.contains("request profiler report") })
        #expect(saved.thread == "report-request", "saved on \(saved.thread)")
        #expect(printed.thread == "report-request", "printed on \(printed.thread)")
    }

    /// The saved report's line in the list of saved reports is written on that thread too: a
    /// reports folder that hangs must not hold a request thread there either. (Here the list's
    /// file name is taken by a folder, so its append fails and says so, from where it ran.)
    @Test func aRequestedReportIsListedOffTheRequestThreads() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(
            atPath: directory + "/" + SavedProfileIndex.fileName, withIntermediateDirectories: true)
        let log = LogCapture()
        let core = RequestProfilingCore(
            settings: ProfilingSettings(
                isEnabled: true, outputDirectory: directory, dashboard: DashboardSettings(prefix: "/_profiler")),
            logger: log.logger)
        _ = try await handle(core, "profile=1&profile_format=json&profile_save=1") { coreTestWork() }
        #expect(core.profiles.all.count == 1)
        let entries = log.messagesWithThreads
        let listed = try #require(entries.first { $0.message.contains("could not record a saved report") }, "\(entries.map(\.message))")
        #expect(listed.thread == "report-request", "listed on \(listed.thread)")
        await core.shutdown()
    }

    /// At the disk reserve every `profile_save=1` request logged an error, and the log, on the
    /// same disk as often as not, ate what the reserve keeps. Each request is still told
    /// (`X-Profile-Skipped`); the log says it once a minute, with a count.
    @Test func failedSavesOfRequestedReportsAreLoggedOnceAMinute() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = LogCapture()
        var settings = ProfilingSettings(isEnabled: true, outputDirectory: directory)
        settings.reportsKeepFree = DiskReserve(fraction: 1)  // every report crosses it
        let core = RequestProfilingCore(settings: settings, logger: log.logger)
        for _ in 0..<5 {
            let outcome = try await handle(core, "profile=1&profile_format=collapsed&profile_save=1") { coreTestWork() }
            guard case .original(_, let headers) = outcome else {
                Issue.record("a report that cannot be saved keeps the original response")
                continue
            }
            #expect(headers.contains { $0.name == "X-Profile-Skipped" && $0.value.contains("nearly full") })
        }
        let failures = log.messages.filter { $0.contains("could not save the report") }
        #expect(failures.count == 1, "\(failures)")
        #expect(failures.first?.contains("PROFILING_OUTPUT_KEEP_FREE") == true)
        await core.shutdown()
    }

    @Test func savedReportOfAFailingHandlerRethrowsItsError() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let core = RequestProfilingCore(settings: ProfilingSettings(isEnabled: true, outputDirectory: directory))
        let outcome = try await handle(core, "profile=1&profile_format=text") {
            _ = coreTestWork()
            throw HandlerFailure()
        }
        guard case .original(let result, let headers) = outcome else {
            Issue.record("a saved report keeps the original outcome")
            return
        }
        #expect(throws: HandlerFailure.self) { try result.get() }
        let name = try #require(headers.first { $0.name == "X-Profile-Report" }?.value)
        #expect(name.contains("-GET-work_id-") && name.hasSuffix(".txt"))
        let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
        #expect(text.contains("GET /work/:id -> 503"))
    }

    @Test func unprofiledRequestsRunTheHandlerOnce() async throws {
        let core = RequestProfilingCore(settings: ProfilingSettings(isEnabled: true))
        var calls = 0
        for query in ["", "a=1", "profile=0"] {
            let outcome = try await handle(core, query) { calls += 1; return 7 }
            guard case .original(let result, let headers) = outcome else {
                Issue.record("unprofiled requests keep their response")
                return
            }
            #expect(try result.get() == 7)
            #expect(headers.isEmpty)
        }
        #expect(calls == 3)
        #expect(core.trigger.limiter.inFlight == 0)
    }

    @Test func saveErrorsAreLoggedWithTheirReason() async throws {
        let blocker = temporaryDirectory()
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: blocker) }
        let log = LogCapture()
        let core = RequestProfilingCore(
            settings: ProfilingSettings(isEnabled: true, outputDirectory: blocker + "/reports"), logger: log.logger)
        let outcome = try await handle(core, "profile=1") { 1 }
        guard case .original(let result, let headers) = outcome else {
            Issue.record("the original response survives a failed save")
            return
        }
        #expect(try result.get() == 1)
        #expect(headers.first?.name == "X-Profile-Skipped")
        #expect(log.messages.contains { $0.hasPrefix("error:") && $0.contains("Not a directory") })
    }
}
