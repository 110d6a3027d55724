import Foundation
import ProfileReports
import Testing
@testable import RequestProfilerHTTP

/// The dashboard's renderings of saved json reports: one report as html, a route's aggregate,
/// and its last reports against the ones before.
@Suite("Dashboard: saved json reports rendered as html, aggregates and diffs")
struct DashboardReportViewsTests {
    private func core(reports: String) -> RequestProfilingCore {
        RequestProfilingCore(settings: ProfilingSettings(
            isEnabled: true, outputDirectory: reports, dashboard: DashboardSettings(prefix: "/_p")))
    }

    /// Saves `count` json reports of `GET /users/:id`, each busy for `milliseconds`.
    private func saveReports(_ count: Int, milliseconds: Int, core: RequestProfilingCore) async throws -> [String] {
        var files: [String] = []
        for id in 1...count {
            let saved = try await CoreRequest(path: "/users/\(id)", query: "profile=1&profile_save=1&profile_format=json")
                .response(from: core) { "\(busy(for: .milliseconds(milliseconds)))" }
            files.append(try #require(saved.header(ProfilingParameter.reportHeader)))
        }
        return files
    }

    @Test func aSavedJSONReportOpensAsHTML() async throws {
        let reports = try ScratchDirectory("dash-view")
        defer { reports.remove() }
        let core = core(reports: reports.path)
        let file = try #require(try await saveReports(1, milliseconds: 20, core: core).first)
        let html = try await CoreRequest(path: "/_p/profiles/\(file)", query: "format=html").response(from: core)
        #expect(html.status == 200)
        #expect(html.header("Content-Type") == "text/html; charset=utf-8")
        #expect(html.text.lowercased().hasPrefix("<!doctype html"))
        #expect(html.text.contains("busy(for:"))
        let text = try await CoreRequest(path: "/_p/profiles/\(file)", query: "format=TEXT").response(from: core)
        #expect(text.text.contains("GET /users/:id"))
        let unknown = try await CoreRequest(path: "/_p/profiles/\(file)", query: "format=svg").response(from: core)
        #expect(unknown.status == 400)
        #expect(unknown.text.contains("html"), "the refusal lists the valid formats: \(unknown.text)")
    }

    @Test func onlyJSONReportsChangeFormat() async throws {
        let reports = try ScratchDirectory("dash-view-html")
        defer { reports.remove() }
        let page = "20261207-061000.000-GET-page-1ms.html", broken = "20261207-061000.000-GET-broken-1ms.json"
        try Data("<p>saved</p>".utf8).write(to: URL(fileURLWithPath: reports.path + "/" + page))
        try Data("not json".utf8).write(to: URL(fileURLWithPath: reports.path + "/" + broken))
        let core = core(reports: reports.path)
        let html = try await CoreRequest(path: "/_p/profiles/" + page, query: "format=text").response(from: core)
        #expect(html.status == 400)
        let answer = try await CoreRequest(path: "/_p/profiles/" + broken, query: "format=html").response(from: core)
        #expect(answer.status == 500)
        #expect(answer.text.contains(broken), "the error names the file: \(answer.text)")
        #expect(try await CoreRequest(path: "/_p/profiles/../x.json", query: "format=html").response(from: core).status == 404)
    }

    /// A speedscope file ends in `.json` too, but holds another schema: it is served as saved,
    /// and the route's aggregate and diff read only its json reports.
    @Test func aSavedSpeedscopeFileIsNotTakenForAJSONReport() async throws {
        let reports = try ScratchDirectory("dash-speedscope")
        defer { reports.remove() }
        let core = core(reports: reports.path)
        _ = try await saveReports(2, milliseconds: 10, core: core)
        let saved = try await CoreRequest(path: "/users/9", query: "profile=1&profile_save=1&profile_format=speedscope")
            .response(from: core) { "\(busy(for: .milliseconds(10)))" }
        let speedscope = try #require(saved.header(ProfilingParameter.reportHeader))
        #expect(speedscope.hasSuffix(".speedscope.json"))
        let route = "method=GET&route=/users/:id"
        #expect(try await CoreRequest(path: "/_p/aggregate", query: route).response(from: core).status == 200)
        #expect(try await CoreRequest(path: "/_p/diff", query: route + "&n=1").response(from: core).status == 200)
        let page = try await CoreRequest(path: "/_p/").response(from: core).text
        #expect(page.contains("href=\"/_p/profiles/\(speedscope)\""), "linked as saved, not as ?format=html")
        let served = try await CoreRequest(path: "/_p/profiles/\(speedscope)").response(from: core)
        #expect(served.status == 200 && served.text.contains("speedscope"))
        let converted = try await CoreRequest(path: "/_p/profiles/\(speedscope)", query: "format=html").response(from: core)
        #expect(converted.status == 400)
    }

    @Test func aRouteHasItsAggregateAndItsDiff() async throws {
        let reports = try ScratchDirectory("dash-aggregate")
        defer { reports.remove() }
        let core = core(reports: reports.path)
        _ = try await saveReports(4, milliseconds: 15, core: core)

        let page = try await CoreRequest(path: "/_p").response(from: core)
        let route = "method=GET&amp;route=/users/:id"
        #expect(page.text.contains("href=\"/_p/aggregate?\(route)\""), "aggregate link")
        #expect(page.text.contains("href=\"/_p/diff?\(route)&amp;n=5\""), "diff link")

        let aggregate = try await CoreRequest(path: "/_p/aggregate", query: "method=GET&route=%2Fusers%2F%3Aid&format=text")
            .response(from: core)
        #expect(aggregate.status == 200)
        #expect(aggregate.text.contains("Aggregate of 4 requests"), "\(aggregate.text.prefix(400))")
        #expect(aggregate.text.contains("busy(for:"))
        let html = try await CoreRequest(path: "/_p/aggregate", query: "method=GET&route=/users/:id").response(from: core)
        #expect(html.header("Content-Type") == "text/html; charset=utf-8", "html by default")

        let diff = try await CoreRequest(path: "/_p/diff", query: "method=GET&route=/users/:id&n=2&format=json")
            .response(from: core)
        #expect(diff.status == 200)
        let document = try #require(try diff.json() as? [String: Any])
        #expect(document["diff"] != nil, "a differential report: \(document.keys.sorted())")
        let pprof = try await CoreRequest(path: "/_p/diff", query: "method=GET&route=/users/:id&format=pprof").response(from: core)
        #expect(pprof.status == 400, "a diff has no pprof form")
    }

    @Test func badRequestsAreRefusedWithAReason() async throws {
        let reports = try ScratchDirectory("dash-aggregate-bad")
        defer { reports.remove() }
        let core = core(reports: reports.path)
        _ = try await saveReports(1, milliseconds: 5, core: core)
        let cases: [(path: String, query: String?, status: Int)] = [
            ("/_p/aggregate", nil, 400),
            ("/_p/aggregate", "method=GET", 400),
            ("/_p/aggregate", "method=GET&route=/nothing", 404),
            ("/_p/aggregate", "method=GET&route=/users/:id&format=nope", 400),
            ("/_p/diff", "method=GET&route=/users/:id", 404),  // one report: nothing to compare
            ("/_p/diff", "method=GET&route=/users/:id&n=0", 400),
            ("/_p/diff", "method=GET&route=/users/:id&n=101", 400),
            ("/_p/diff", "method=GET&route=/users/:id&n=99999999999999999999", 400),
        ]
        for (path, query, status) in cases {
            let response = try await CoreRequest(path: path, query: query).response(from: core)
            #expect(response.status == status, "\(path)?\(query ?? "") -> \(response.status) \(response.text)")
            #expect(!response.text.isEmpty)
        }
    }

    /// Anyone who can write the folder can put a FIFO or a device under a report's name, or
    /// swap a listed report for a symlink out of the folder: each is refused or left out, with
    /// a reason, and nothing waits on a FIFO (the time limit would catch it).
    @Test(.timeLimit(.minutes(1))) func aFIFOOrADeviceUnderAReportNameIsRefusedWithoutBlocking() async throws {
        let reports = try ScratchDirectory("dash-fifo")
        defer { reports.remove() }
        let core = core(reports: reports.path)
        let files = try await saveReports(3, milliseconds: 5, core: core)
        #expect(mkfifo(reports.path + "/pipe.json", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: reports.path + "/zero.json", withDestinationPath: "/dev/zero")
        for name in ["pipe.json", "zero.json"] {
            #expect(try await CoreRequest(path: "/_p/profiles/\(name)").response(from: core).status == 404)
            #expect(try await CoreRequest(path: "/_p/profiles/\(name)", query: "format=html").response(from: core).status == 404)
        }

        // Listed reports swapped for a symlink out of the folder and for a FIFO.
        let route = "method=GET&route=/users/:id&format=text"
        try FileManager.default.removeItem(atPath: reports.path + "/" + files[0])
        try FileManager.default.createSymbolicLink(atPath: reports.path + "/" + files[0], withDestinationPath: "/dev/zero")
        let outside = try await CoreRequest(path: "/_p/aggregate", query: route).response(from: core)
        #expect(outside.status == 200, "the symlink out of the folder is left out: \(outside.text.prefix(300))")
        #expect(outside.text.contains("Aggregate of 2 requests"), "\(outside.text.prefix(300))")
        try FileManager.default.removeItem(atPath: reports.path + "/" + files[1])
        #expect(mkfifo(reports.path + "/" + files[1], 0o644) == 0)
        let pipe = try await CoreRequest(path: "/_p/aggregate", query: route).response(from: core)
        #expect(pipe.status == 500)
        #expect(pipe.text.contains(files[1]) && pipe.text.contains("not a regular file"), "\(pipe.text)")
        #expect(!pipe.text.contains(reports.path), "the reason does not say where the reports are kept: \(pipe.text)")
    }

    @Test func reportsAndViewsAreSandboxed() async throws {
        let reports = try ScratchDirectory("dash-sandbox")
        defer { reports.remove() }
        let core = core(reports: reports.path)
        let file = try #require(try await saveReports(2, milliseconds: 5, core: core).first)
        for (path, query) in [("/_p/profiles/\(file)", nil), ("/_p/profiles/\(file)", "format=html"), ("/_p/aggregate", "method=GET&route=/users/:id"),
            ("/_p/diff", "method=GET&route=/users/:id&n=1")] {
            let response = try await CoreRequest(path: path, query: query).response(from: core)
            #expect(response.status == 200)
            #expect(response.header("Content-Security-Policy") == "sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'", "\(path)?\(query ?? "")")
            #expect(response.header("X-Frame-Options") == "DENY", "\(path)?\(query ?? "")")
            #expect(response.header("X-Content-Type-Options") == "nosniff", "\(path)?\(query ?? "")")
        }
        let page = try await CoreRequest(path: "/_p/").response(from: core)
        let policy = page.header("Content-Security-Policy") ?? ""
        #expect(page.status == 200 && !policy.contains("sandbox") && policy.hasSuffix("frame-ancestors 'none'"), "the dashboard page itself is not sandboxed, only never framed (and runs only its own script)")
    }

    /// Views that read reports are built one at a time, off the request's thread, and within
    /// a byte budget checked before anything is read.
    @Test func reportViewsAreBounded() async throws {
        let reports = try ScratchDirectory("dash-bounded")
        defer { reports.remove() }
        let core = core(reports: reports.path)
        let files = try await saveReports(2, milliseconds: 5, core: core)
        let dashboard = try #require(core.dashboard)
        let route = "method=GET&route=/users/:id"
        if case .ready = dashboard.answer(path: "/_p/aggregate", rawQuery: route, method: "GET", header: { _ in nil }) {
            Issue.record("the aggregate is built on the request's thread")
        }
        if case .ready = dashboard.answer(path: "/_p/profiles/\(files[0])", rawQuery: nil, method: "GET", header: { _ in nil }) {
            Issue.record("a report is read on the request's thread")
        }

        #expect(dashboard.views.gate.tryEnter(), "free between requests")
        let busy = try await CoreRequest(path: "/_p/aggregate", query: route).response(from: core)
        #expect(busy.status == 503 && busy.header("Retry-After") == "1", "\(busy.status) \(busy.text)")
        dashboard.views.gate.leave()
        #expect(try await CoreRequest(path: "/_p/aggregate", query: route).response(from: core).status == 200)
        #expect(dashboard.views.gate.tryEnter(), "a built view leaves the gate")
        dashboard.views.gate.leave()
        for _ in 0..<4 { #expect(dashboard.fileGate.tryEnter()) }
        let served = try await CoreRequest(path: "/_p/profiles/\(files[0])").response(from: core)
        #expect(served.status == 503, "a fifth report served at once waits its turn")
        for _ in 0..<4 { dashboard.fileGate.leave() }
        #expect(try await CoreRequest(path: "/_p/profiles/\(files[0])").response(from: core).status == 200)

        // A listed report grown past the budget (sparse: no disk is used).
        #expect(truncate(reports.path + "/" + files[1], off_t(SavedReportViews.largestTotalBytes) + 1) == 0)
        let large = try await CoreRequest(path: "/_p/aggregate", query: route).response(from: core)
        #expect(large.status == 422 && large.text.contains("MB"), "\(large.status) \(large.text)")
    }

    /// Finding a route's reports `stat`s them (and resolves their symlinks): even for a route
    /// with none, among many registered reports, that is done off the request's thread and
    /// behind the gate, as the view itself is.
    @Test func aRoutesReportsAreLookedUpOffTheRequestsThreadBehindTheGate() throws {
        let reports = try ScratchDirectory("dash-lookup")
        defer { reports.remove() }
        let dashboard = try #require(core(reports: reports.path).dashboard)
        for number in 0..<200 {
            dashboard.registry.register(CapturedProfile(
                file: "20260101-000000.000-GET-other-\(number)ms.json", method: "GET", route: "/other", status: 200,
                durationNanoseconds: 1, timestampNanoseconds: 1, trigger: .query))
        }
        for path in ["/_p/aggregate", "/_p/diff"] {
            let answer = dashboard.answer(path: path, rawQuery: "method=GET&route=/none", method: "GET", header: { _ in nil })
            guard case .offThread = answer else {
                Issue.record("\(path) looks the route's reports up on the request's thread")
                continue
            }
            #expect(answer.responseHere.status == 404, "\(path)")
            #expect(dashboard.views.gate.tryEnter())
            let busy = answer.responseHere
            dashboard.views.gate.leave()
            #expect(busy.status == 503, "\(path): the lookup waits for the gate: \(busy.status) \(busy.text)")
        }
    }

    /// Reports that together hold more than one report may (each within its own limits) are
    /// refused with a reason, as the command-line tool refuses them, before they are merged.
    @Test func reportsTooLargeTogetherAreRefused() async throws {
        let reports = try ScratchDirectory("dash-too-large")
        defer { reports.remove() }
        let core = core(reports: reports.path)
        for file in try await saveReports(3, milliseconds: 5, core: core) {
            let url = URL(fileURLWithPath: reports.path + "/" + file)
            var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            var metadata = try #require(object["metadata"] as? [String: Any])
            metadata["durationNanoseconds"] = NSNumber(value: JSONReport.largestNanoseconds / 2)
            object["metadata"] = metadata
            try JSONSerialization.data(withJSONObject: object).write(to: url)
        }
        let refused = try await CoreRequest(path: "/_p/aggregate", query: "method=GET&route=/users/:id").response(from: core)
        #expect(refused.status == 422 && refused.text.contains("too many to combine"), "\(refused.status) \(refused.text)")
    }

    @Test func aReportDeletedWhileAViewReadsIsLeftOut() async throws {
        let reports = try ScratchDirectory("dash-vanished")
        defer { reports.remove() }
        let core = core(reports: reports.path)
        let files = try await saveReports(2, milliseconds: 5, core: core)
        let views = try #require(core.dashboard).views
        let paths = views.jsonReports(method: "GET", route: "/users/:id")
        #expect(paths.count == 2)
        try FileManager.default.removeItem(atPath: reports.path + "/" + files[0])
        #expect(try views.loadPresent(paths, minimum: 1).count == 1)
        #expect(throws: SavedReportViews.Refusal.self) { try views.loadPresent(paths, minimum: 2) }
    }
}
