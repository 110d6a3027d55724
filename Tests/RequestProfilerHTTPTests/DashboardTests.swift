import Foundation
import Logging
import RequestMetrics
import Testing
@testable import RequestProfilerHTTP

@Suite("Dashboard: auth, JSON documents, saved reports")
struct DashboardTests {
    private func core(token: String? = nil, reports: String, metrics: Bool = true) -> RequestProfilingCore {
        RequestProfilingCore(settings: ProfilingSettings(
            isEnabled: true, outputDirectory: reports,
            metrics: MetricsSettings(isEnabled: metrics),
            dashboard: DashboardSettings(prefix: "/_p", token: token)))
    }

    @Test func tokenIsRequiredOnEveryURL() async throws {
        let reports = try ScratchDirectory("dash-auth")
        defer { reports.remove() }
        let core = core(token: "s3cret", reports: reports.path)
        for path in ["/_p", "/_p/", "/_p/metrics.json", "/_p/errors.json", "/_p/profiles.json", "/_p/profiles/x.json"] {
            let missing = try await CoreRequest(path: path).response(from: core)
            #expect(missing.status == 401, "\(path)")
            #expect(missing.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
            #expect(missing.header("X-Content-Type-Options") == "nosniff" && missing.header("Cache-Control") == "no-store", "\(path)")
            let wrong = try await CoreRequest(path: path, headers: ["Authorization": "Bearer s3creT"]).response(from: core)
            #expect(wrong.status == 401, "\(path)")
            let basic = try await CoreRequest(path: path, headers: ["Authorization": "Basic s3cret"]).response(from: core)
            #expect(basic.status == 401, "\(path)")
        }
        for path in ["/_p", "/_p/metrics.json", "/_p/errors.json", "/_p/profiles.json"] {
            let allowed = try await CoreRequest(path: path, headers: ["Authorization": "Bearer s3cret"]).response(from: core)
            #expect(allowed.status == 200, "\(path)")
        }
    }

    @Test func aBrowserSignsInOnceWithTheTokenAndThenUsesACookie() async throws {
        let reports = try ScratchDirectory("dash-cookie")
        defer { reports.remove() }
        let token = "s3 cr;et=+/é"
        let core = core(token: token, reports: reports.path)
        let encoded = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        // The right token: a redirect to the page, without the token, and the cookie.
        let signIn = try await CoreRequest(path: "/_p", query: "token=\(encoded)").response(from: core)
        #expect(signIn.status == 303)
        #expect(signIn.header("Location") == "/_p/")
        let setCookie = try #require(signIn.header("Set-Cookie"))
        #expect(setCookie.hasPrefix("request_profiler_dashboard="))
        for attribute in ["Path=/_p", "HttpOnly", "SameSite=Lax", "Max-Age=43200"] {
            #expect(setCookie.contains("; \(attribute)"), "\(setCookie) lacks \(attribute)")
        }
        #expect(!setCookie.contains("Secure"), "plain http: a Secure cookie would never come back")
        // Through an https proxy the cookie is Secure: it never travels over plain http.
        // RFC 7239 allows the value quoted.
        for proxy in [["X-Forwarded-Proto": "https"], ["Forwarded": "for=10.0.0.1;proto=https"], ["Forwarded": "for=10.0.0.1;proto=\"https\""]] {
            let behindProxy = try await CoreRequest(path: "/_p", query: "token=\(encoded)", headers: proxy).response(from: core)
            #expect(behindProxy.header("Set-Cookie")?.hasSuffix("; Secure") == true, "\(proxy)")
        }
        // The page and the documents are never framed, sniffed or cached.
        let value0 = String(setCookie.prefix { $0 != ";" })
        for path in ["/_p/", "/_p/metrics.json"] {
            let answer = try await CoreRequest(path: path, headers: ["Cookie": value0]).response(from: core)
            #expect(answer.header("Cache-Control") == "no-store" && answer.header("X-Content-Type-Options") == "nosniff", "\(path)")
            #expect(answer.header("Content-Security-Policy")?.hasSuffix("frame-ancestors 'none'") == true && answer.header("X-Frame-Options") == "DENY", "\(path)")
        }
        let value = String(setCookie.prefix { $0 != ";" })
        #expect(!value.contains(" ") && !value.contains(",") && value.filter { $0 == "=" }.count == 1, "not a valid cookie value: \(value)")
        // The cookie opens every dashboard URL, also among other cookies.
        for path in ["/_p", "/_p/metrics.json", "/_p/profiles.json"] {
            let allowed = try await CoreRequest(path: path, headers: ["Cookie": "theme=dark; \(value); x=1"]).response(from: core)
            #expect(allowed.status == 200, "\(path)")
        }
        // A stale cookie of the same name sent first (from a more specific path, a sibling
        // subdomain) does not lock out the right one behind it.
        let behindStale = try await CoreRequest(path: "/_p/metrics.json", headers: ["Cookie": "request_profiler_dashboard=old; \(value)"])
            .response(from: core)
        #expect(behindStale.status == 200)
        // A wrong token or a forged cookie gets the 401, and no cookie.
        let wrong = try await CoreRequest(path: "/_p/", query: "token=s3cret").response(from: core)
        #expect(wrong.status == 401)
        #expect(wrong.header("Set-Cookie") == nil)
        for forged in ["request_profiler_dashboard=s3cret", "request_profiler_dashboard=", "other_request_profiler_dashboard=\(encoded)"] {
            let denied = try await CoreRequest(path: "/_p/metrics.json", headers: ["Cookie": forged]).response(from: core)
            #expect(denied.status == 401, "\(forged)")
        }
        // Only the page signs in: a token on another URL is not a credential.
        let elsewhere = try await CoreRequest(path: "/_p/metrics.json", query: "token=\(encoded)").response(from: core)
        #expect(elsewhere.status == 401)
    }

    /// A blank token set in code lets no one in: an empty cookie, an empty bearer value and an
    /// empty `?token=` all passed it. One with surrounding whitespace matches without it.
    @Test func aBlankTokenSetInCodeLetsNoOneIn() async throws {
        let reports = try ScratchDirectory("dash-blank")
        defer { reports.remove() }
        for blank in ["", " "] {
            let core = core(token: blank, reports: reports.path)
            for (query, headers) in [
                (nil, ["Cookie": "request_profiler_dashboard="]), ("token=", [:]), ("token=+", [:]),
                (nil, ["Authorization": "Bearer  "]), (nil, [:]),
            ] as [(String?, [String: String])] {
                let denied = try await CoreRequest(path: "/_p/", query: query, headers: headers).response(from: core)
                #expect(denied.status == 401, "token \(blank.debugDescription), query \(query ?? "-"), \(headers)")
                #expect(denied.header("Set-Cookie") == nil)
            }
        }
        let padded = core(token: " s3cret\n", reports: reports.path)
        let allowed = try await CoreRequest(path: "/_p/metrics.json", headers: ["Authorization": "Bearer s3cret"]).response(from: padded)
        #expect(allowed.status == 200)
    }

    /// HTTP/2 carries any method: invented ones must not each become a route of their own.
    @Test func inventedMethodsShareOneName() async throws {
        let reports = try ScratchDirectory("dash-methods")
        defer { reports.remove() }
        let core = core(reports: reports.path)
        for number in 0..<50 { _ = try await CoreRequest(method: "X\(number)", path: "/missing/\(number)").response(from: core) }
        for method in ["GET", "PROPFIND", "M-SEARCH", "get"] { _ = try await CoreRequest(method: method, path: "/missing").response(from: core) }
        let metrics = try #require(try await CoreRequest(path: "/_p/metrics.json").response(from: core).json() as? [String: Any])
        let routes = try #require(metrics["routes"] as? [[String: Any]])
        let counts = Dictionary(uniqueKeysWithValues: routes.compactMap { route in
            (route["method"] as? String).map { ($0, route["count"] as? Int ?? 0) }
        })
        #expect(counts == ["OTHER": 51, "GET": 1, "PROPFIND": 1, "M-SEARCH": 1], "methods are case-sensitive: get is not GET")
    }

    @Test func documentsHaveTheIssueShapes() async throws {
        let reports = try ScratchDirectory("dash-json")
        defer { reports.remove() }
        let core = core(reports: reports.path)
        for id in 1...3 { _ = try await CoreRequest(path: "/users/\(id)").response(from: core) }
        _ = try await CoreRequest(path: "/boom").response(from: core) { throw CoreTestError(status: 503) }
        _ = try await CoreRequest(path: "/missing/thing").response(from: core)
        let saved = try await CoreRequest(path: "/users/9", query: "profile=1&profile_save=1&profile_format=json")
            .response(from: core) { "\(busy(for: .milliseconds(5)))" }
        let file = try #require(saved.header(ProfilingParameter.reportHeader))

        let metrics = try #require(try await CoreRequest(path: "/_p/metrics.json").response(from: core).json() as? [String: Any])
        #expect(Set(metrics.keys) == ["window_seconds", "overall", "routes", "events"])
        #expect((metrics["events"] as? [String: Any]).map { Set($0.keys) } == ["dropped", "disabled_exporters"])
        let overall = try #require(metrics["overall"] as? [String: Any])
        #expect(Set(overall.keys) == ["count", "rps", "error_rate", "p50_ms", "p95_ms", "p99_ms"])
        #expect(overall["count"] as? Int == 6, "the dashboard's own requests are not counted")
        let routes = try #require(metrics["routes"] as? [[String: Any]])
        #expect(Set(routes.first?.keys.map { $0 } ?? []) == ["method", "route", "count", "errors", "error_rate", "p50_ms", "p95_ms", "p99_ms", "profiles"])
        let users = try #require(routes.first { $0["route"] as? String == "/users/:id" })
        #expect(users["count"] as? Int == 4)
        #expect(users["profiles"] as? [String] == [file])
        #expect(routes.contains { $0["route"] as? String == RouteName.unmatched })
        let boom = try #require(routes.first { $0["route"] as? String == "/boom" })
        #expect(boom["errors"] as? Int == 1)

        let errors = try #require(try await CoreRequest(path: "/_p/errors.json").response(from: core).json() as? [[String: Any]])
        let error = try #require(errors.first)
        #expect(Set(error.keys) == ["ts_ns", "method", "route", "status", "exception_type", "exception_value"])
        #expect(error["route"] as? String == "/boom")
        #expect(error["status"] as? Int == 503)

        let profiles = try #require(try await CoreRequest(path: "/_p/profiles.json").response(from: core).json() as? [[String: Any]])
        #expect(profiles.count == 1)
        #expect(Set(profiles[0].keys) == ["file", "method", "route", "status", "duration_ms", "ts_ns", "trigger"])
        #expect(profiles[0]["file"] as? String == file)
        #expect(profiles[0]["trigger"] as? String == "query")
        #expect(profiles[0]["route"] as? String == "/users/:id")

        let page = try await CoreRequest(path: "/_p/").response(from: core)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.text.contains("href=\"/_p/profiles/\(file)?format=html\""), "a json report opens as html")
        #expect(page.text.contains("<polyline"))
        let report = try await CoreRequest(path: "/_p/profiles/\(file)").response(from: core)
        #expect(report.status == 200)
        #expect(report.header("Content-Type") == "application/json")
        #expect(report.body == Array(try Data(contentsOf: URL(fileURLWithPath: reports.path + "/" + file))))
    }

    @Test func aReportDeletedFromTheFolderIsNoLongerListed() async throws {
        let reports = try ScratchDirectory("dash-deleted")
        defer { reports.remove() }
        let core = core(reports: reports.path)
        var files: [String] = []
        for id in 1...2 {
            let saved = try await CoreRequest(path: "/users/\(id)", query: "profile=1&profile_save=1&profile_format=json")
                .response(from: core) { "\(busy(for: .milliseconds(2)))" }
            files.append(try #require(saved.header(ProfilingParameter.reportHeader)))
        }
        try FileManager.default.removeItem(atPath: reports.path + "/" + files[0])

        let profiles = try #require(try await CoreRequest(path: "/_p/profiles.json").response(from: core).json() as? [[String: Any]])
        #expect(profiles.compactMap { $0["file"] as? String } == [files[1]])
        let metrics = try #require(try await CoreRequest(path: "/_p/metrics.json").response(from: core).json() as? [String: Any])
        let users = try #require((metrics["routes"] as? [[String: Any]])?.first { $0["route"] as? String == "/users/:id" })
        #expect(users["profiles"] as? [String] == [files[1]])
        let page = try await CoreRequest(path: "/_p/").response(from: core).text
        #expect(page.contains(files[1]))
        #expect(!page.contains(files[0]), "the page links a report that is gone")
    }

    @Test func aRestartedServerStillListsAndLinksTheEarlierReports() async throws {
        let reports = try ScratchDirectory("dash-restart")
        defer { reports.remove() }
        let first = core(reports: reports.path)
        let saved = try await CoreRequest(path: "/users/7", query: "profile=1&profile_save=1&profile_format=json")
            .response(from: first) { "\(busy(for: .milliseconds(2)))" }
        let file = try #require(saved.header(ProfilingParameter.reportHeader))
        await first.shutdown()

        let second = core(reports: reports.path)
        _ = try await CoreRequest(path: "/other").response(from: second)
        let profiles = try #require(try await CoreRequest(path: "/_p/profiles.json").response(from: second).json() as? [[String: Any]])
        #expect(profiles.count == 1)
        #expect(profiles.first?["file"] as? String == file)
        #expect(profiles.first?["route"] as? String == "/users/:id" && profiles.first?["trigger"] as? String == "query")
        // The route has no request in this run's window: it still gets a row, after the
        // measured ones, that links its report.
        let page = try await CoreRequest(path: "/_p/").response(from: second).text
        let rows = page.components(separatedBy: "<tr class=\"route\"").dropFirst()
        #expect(rows.count == 2)
        #expect(rows.first?.contains("/other") == true)
        let quiet = try #require(rows.last)
        #expect(quiet.contains("/users/:id") && quiet.contains("/_p/profiles/\(file)?format=html"))
        #expect(quiet.contains("<td class=\"num\">0</td>") && quiet.contains(DashboardPage.noValue))
        // So does metrics.json: a script reading routes[].profiles reaches the report too.
        let metrics = try #require(try await CoreRequest(path: "/_p/metrics.json").response(from: second).json() as? [String: Any])
        let routes = try #require(metrics["routes"] as? [[String: Any]])
        #expect(routes.map { $0["route"] as? String } == ["/other", "/users/:id"])
        #expect(routes.last?["profiles"] as? [String] == [file])
        #expect(routes.last?["count"] as? Int == 0 && routes.last?["p95_ms"] as? Double == 0)
        let report = try await CoreRequest(path: "/_p/profiles/\(file)").response(from: second)
        #expect(report.status == 200 && report.text.contains("busy"))
    }

    /// profiles.json, errors.json and the JSONL events stamp a request alike, so a saved report
    /// joins its request's REQ line by `ts_ns` as well as by file name.
    @Test func aSavedReportCarriesItsRequestsEventTimestamp() async throws {
        let reports = try ScratchDirectory("dash-ts")
        let events = try ScratchDirectory("dash-ts-events")
        defer { reports.remove(); events.remove() }
        let core = RequestProfilingCore(settings: ProfilingSettings(
            isEnabled: true, outputDirectory: reports.path,
            metrics: MetricsSettings(isEnabled: true, directory: events.path),
            dashboard: DashboardSettings(prefix: "/_p"),
            autoCapture: AutoCaptureSettings(rate: 1, slowerThan: .milliseconds(10)), random: .seeded(3)))
        _ = try await CoreRequest(path: "/users/9", query: "profile=1&profile_save=1&profile_format=json")
            .response(from: core) { "\(busy(for: .milliseconds(5)))" }
        _ = try await CoreRequest(path: "/slow").response(from: core) { "\(busy(for: .milliseconds(40)))" }
        await core.shutdown()

        let profiles = try #require(try await CoreRequest(path: "/_p/profiles.json").response(from: core).json() as? [[String: Any]])
        #expect(Set(profiles.compactMap { $0["trigger"] as? String }) == ["query", "auto"])
        let lines = try events.files().flatMap { name in
            try String(contentsOfFile: events.path + "/" + name, encoding: .utf8).split(separator: "\n")
        }
        for profile in profiles {
            let file = try #require(profile["file"] as? String)
            let event = try #require(lines.first { $0.contains("\"kind\":\"REQ\"") && $0.contains("\"profile\":\"\(file)\"") }, "\(file)")
            let eventTimestamp = try #require(event.firstMatch(of: /"ts_ns":([0-9]+)/).flatMap { UInt64($0.1) })
            #expect((profile["ts_ns"] as? NSNumber)?.uint64Value == eventTimestamp, "\(profile)")
        }
    }

    /// Both frameworks answer HEAD with the GET handler and drop its body only when they write
    /// the response: `bytes_out` counted a body that was never sent.
    @Test func aHEADRequestSendsNoBodyBytes() async throws {
        let events = try ScratchDirectory("head-bytes")
        defer { events.remove() }
        let core = RequestProfilingCore(settings: ProfilingSettings(
            isEnabled: true, metrics: MetricsSettings(isEnabled: true, directory: events.path)))
        _ = try await CoreRequest(method: "HEAD", path: "/page").send(to: core) { "twelve bytes" }
        _ = try await CoreRequest(method: "HEAD", path: "/page", query: "profile=1&profile_format=text").send(to: core) { "twelve bytes" }
        _ = try await CoreRequest(method: "GET", path: "/page").send(to: core) { "twelve bytes" }
        await core.shutdown()
        let lines = try events.files().flatMap { name in
            try String(contentsOfFile: events.path + "/" + name, encoding: .utf8).split(separator: "\n")
        }
        let heads = lines.filter { $0.contains("\"method\":\"HEAD\"") }
        #expect(heads.count == 2 && heads.allSatisfy { $0.contains("\"bytes_out\":0") }, "\(heads)")
        #expect(lines.contains { $0.contains("\"method\":\"GET\"") && $0.contains("\"bytes_out\":12") }, "\(lines)")
    }

    /// Events lost on their way out show on the dashboard, not only in a log line: drops of a
    /// full queue and exporters disabled after repeated failures.
    @Test func droppedEventsAndDisabledExportersAreShown() async throws {
        final class AlwaysFailing: EventExporter {
            struct Failure: Error {}
            let name = "always-failing"
            func export(_ batch: [MetricsEvent]) throws { throw Failure() }
            func flush() throws {}
            func close() {}
        }
        let collector = EventCollector(
            exporters: [AlwaysFailing()], capacity: 2, batchSize: 1_000, flushInterval: .seconds(3600), maximumFailures: 1,
            logger: Logger(label: "test"))
        let dashboard = Dashboard(
            prefix: "/_p", token: nil, stats: StatsStore(), collector: collector, registry: CapturedProfileRegistry(),
            reportsDirectory: "/nonexistent", logger: Logger(label: "test"))
        func document() throws -> [String: Any] {
            let body = dashboard.respond(path: "/_p/metrics.json", method: "GET", header: { _ in nil }).body
            return try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        }
        func page() -> String {
            String(decoding: dashboard.respond(path: "/_p", method: "GET", header: { _ in nil }).body, as: UTF8.self)
        }
        struct Health: Equatable {
            var dropped: Int?
            var disabled: [String]?
        }
        func health() throws -> Health {
            let events = try #require(try document()["events"] as? [String: Any])
            return Health(dropped: events["dropped"] as? Int, disabled: events["disabled_exporters"] as? [String])
        }
        #expect(page().contains(#"<p id="export-warning" class="stale" role="status"></p>"#), "nothing to say yet")

        let event = MetricsEvent.request(RequestEvent(
            timestampNanoseconds: 1, traceID: TraceID(high: 0, low: 1), spanID: SpanID(2), method: "GET", route: "/",
            status: 200, durationNanoseconds: 1))
        for _ in 0..<5 { collector.submit(event) }
        #expect(try health() == Health(dropped: 3, disabled: []))
        #expect(page().contains("3 events dropped (the collector&#39;s queue was full)"))

        await collector.shutdown()  // the two queued events reach the exporter, which fails
        #expect(try health() == Health(dropped: 3, disabled: ["always-failing"]))
        #expect(page().contains("exporter always-failing disabled after repeated failures"))
    }

    @Test func withoutExportedEventsMetricsJSONHasNoEventsHealth() async throws {
        let reports = try ScratchDirectory("dash-noevents")
        defer { reports.remove() }
        let quiet = core(reports: reports.path, metrics: false)
        let metrics = try #require(try await CoreRequest(path: "/_p/metrics.json").response(from: quiet).json() as? [String: Any])
        #expect(metrics["events"] == nil)
        let exporting = core(reports: reports.path, metrics: true)
        let exported = try #require(try await CoreRequest(path: "/_p/metrics.json").response(from: exporting).json() as? [String: Any])
        let events = try #require(exported["events"] as? [String: Any])
        #expect(events["dropped"] as? Int == 0 && events["disabled_exporters"] as? [String] == [])
    }

    @Test func timesReadAsDatesAndClockTimes() {
        #expect(DashboardPage.readableTime(1_796_527_143.4367662) == "2026-12-06 03:19:03.436")
        #expect(DashboardPage.readableTime(0) == "1970-01-01 00:00:00.000")
        #expect(DashboardPage.clockTime(1_796_527_143.4367662) == "03:19:03")
    }

    @Test func dashboardWorksWithMetricsOff() async throws {
        let reports = try ScratchDirectory("dash-nometrics")
        defer { reports.remove() }
        let core = core(reports: reports.path, metrics: false)
        _ = try await CoreRequest(path: "/plain").response(from: core)
        let metrics = try #require(try await CoreRequest(path: "/_p/metrics.json").response(from: core).json() as? [String: Any])
        #expect((metrics["overall"] as? [String: Any])?["count"] as? Int == 1)
    }

    @Test func noPathServesAFileOutsideTheReportsFolder() async throws {
        let root = try ScratchDirectory("dash-paths")
        defer { root.remove() }
        let reports = root.path + "/reports"
        try FileManager.default.createDirectory(atPath: reports + "/sub", withIntermediateDirectories: true)
        try Data("secret".utf8).write(to: URL(fileURLWithPath: root.path + "/secret.json"))
        try Data("nested".utf8).write(to: URL(fileURLWithPath: reports + "/sub/nested.json"))
        let ok = "20261207-061000.000-GET-users_id-12ms.json", page = "20261207-061000.000-GET-users_id-12ms-2.html"
        try Data("{}".utf8).write(to: URL(fileURLWithPath: reports + "/" + ok))
        try Data("<p>".utf8).write(to: URL(fileURLWithPath: reports + "/" + page))
        let link = "20261207-061000.000-GET-link-1ms.json"
        try FileManager.default.createSymbolicLink(atPath: reports + "/" + link, withDestinationPath: root.path + "/secret.json")
        // Named like a report, leading to another file of the folder: that file is no report.
        let linkToOther = "20261207-061000.000-GET-config-1ms.json"
        try FileManager.default.createSymbolicLink(atPath: reports + "/" + linkToOther, withDestinationPath: "config.json")
        // Leading to another report of the folder: served.
        let linkToReport = "20261207-061000.000-GET-alias-1ms.json"
        try FileManager.default.createSymbolicLink(atPath: reports + "/" + linkToReport, withDestinationPath: ok)
        // A folder shared with other files (PROFILING_OUTPUT_DIR=.): only reports are served.
        for other in ["config.json", "notes.txt", "Package.resolved", "20261207-GET-x-1ms.json", "20261207-061000.000-GET-x-1ms.json.bak"] {
            try Data("secret".utf8).write(to: URL(fileURLWithPath: reports + "/" + other))
        }
        // The registry's own list of reports is no report either.
        try Data(#"{"file":"secret"}"#.utf8).write(to: URL(fileURLWithPath: reports + "/" + SavedProfileIndex.fileName))
        let core = core(reports: reports)
        let hostile = [
            "../secret.json", "..%2Fsecret.json", "%2e%2e%2fsecret.json", "%2E%2E/secret.json", "%252e%252e%252fsecret.json",
            "sub/nested.json", "sub%2Fnested.json", "sub%5Cnested.json", ok + "%00.html", "%00", "..", ".", "",
            link, linkToOther, "%2Fetc%2Fpasswd", "/etc/passwd", ok + "/", "..%5Csecret.json",
            SavedProfileIndex.fileName, "%2Eprofiles.jsonl",
            "config.json", "notes.txt", "Package.resolved", "20261207-GET-x-1ms.json", "20261207-061000.000-GET-x-1ms.json.bak",
        ]
        for name in hostile {
            let response = try await CoreRequest(path: "/_p/profiles/" + name).response(from: core)
            #expect(response.status == 404, "\(name) -> \(response.status)")
            #expect(!response.text.contains("secret") && !response.text.contains("nested"), "\(name)")
            // A refusal may echo words of the request: never sniffed into html.
            #expect(response.header("X-Content-Type-Options") == "nosniff", "\(name)")
        }
        let json = try await CoreRequest(path: "/_p/profiles/" + ok).response(from: core)
        #expect(json.status == 200 && json.text == "{}")
        let alias = try await CoreRequest(path: "/_p/profiles/" + linkToReport).response(from: core)
        #expect(alias.status == 200 && alias.text == "{}")
        let html = try await CoreRequest(path: "/_p/profiles/" + page).response(from: core)
        #expect(html.header("Content-Type") == "text/html; charset=utf-8")
    }

    /// A report the page lists but that cannot be read answers why (and says so in the log),
    /// not a bare 404. Here: larger than the 256 MB a report may be (a sparse file).
    @Test func aSavedReportThatCannotBeReadSaysWhy() async throws {
        let reports = try ScratchDirectory("dash-unreadable")
        defer { reports.remove() }
        let name = "20261207-061000.000-GET-big-1ms.json"
        let descriptor = open(reports.path + "/" + name, O_CREAT | O_WRONLY, 0o644)
        #expect(ftruncate(descriptor, 300 << 20) == 0)
        close(descriptor)
        let response = try await CoreRequest(path: "/_p/profiles/" + name).response(from: core(reports: reports.path))
        #expect(response.status == 500)
        #expect(response.text.contains("\(name) could not be read") && response.text.contains("256 MB"), "\(response.text)")
    }

    @Test func pathsBesideThePrefixAreNotTheDashboards() async throws {
        let reports = try ScratchDirectory("dash-prefix")
        defer { reports.remove() }
        let core = core(reports: reports.path)
        let neighbour = try await CoreRequest(path: "/_pages").response(from: core) { "app" }
        #expect(neighbour.text == "app")
        let unknown = try await CoreRequest(path: "/_p/nothing").response(from: core)
        #expect(unknown.status == 404)
    }

    @Test func errorTextIsEscapedInThePage() async throws {
        let reports = try ScratchDirectory("dash-escape")
        defer { reports.remove() }
        let core = core(reports: reports.path)
        struct Hostile: Error, CustomStringConvertible { var description: String { "<script>alert(1)</script>" } }
        _ = try await CoreRequest(path: "/bad").send(to: core) { throw Hostile() }
        let page = try await CoreRequest(path: "/_p").response(from: core)
        #expect(page.status == 200)
        #expect(!page.text.contains("<script>alert(1)"))
        #expect(page.text.contains("&lt;script&gt;alert(1)"))
    }

    /// The page's policy lets only its own script run: it carries the response's nonce, fresh
    /// for each response, and nothing but its own origin may be fetched.
    @Test func thePageRunsOnlyItsOwnScriptAndStyle() async throws {
        let reports = try ScratchDirectory("dash-policy")
        defer { reports.remove() }
        let core = core(reports: reports.path)
        var nonces: [String] = []
        for _ in 0..<2 {
            let page = try await CoreRequest(path: "/_p").response(from: core)
            let policy = try #require(page.header("Content-Security-Policy"))
            let nonce = try #require(policy.firstMatch(of: /script-src 'nonce-([A-Za-z0-9+\/=]{24})';/)?.1)
            #expect(policy.hasPrefix("default-src 'none';"))
            #expect(policy.contains("frame-ancestors 'none'") && policy.contains("connect-src 'self'"))
            #expect(page.text.contains("<script nonce=\"\(nonce)\">"))
            #expect(page.text.components(separatedBy: "<script").count == 2, "one script, the page's own")
            #expect(page.headers.filter { $0.name == "Content-Security-Policy" }.count == 1)
            nonces.append(String(nonce))
        }
        #expect(nonces[0] != nonces[1])
        // The json documents keep the framing rule only.
        let metrics = try await CoreRequest(path: "/_p/metrics.json").response(from: core)
        #expect(metrics.header("Content-Security-Policy") == "frame-ancestors 'none'")
    }

    /// Everything that reads the reports folder (the page and the documents `stat` each listed
    /// report) is answered off the request's thread: a hung network file system must hold a
    /// Dispatch worker, not a thread the server's requests share.
    @Test func answersThatTouchTheReportsFolderRunOffTheRequestsThread() throws {
        let reports = try ScratchDirectory("dash-off-thread")
        defer { reports.remove() }
        let dashboard = try #require(core(reports: reports.path).dashboard)
        for path in ["/_p", "/_p/", "/_p/metrics.json", "/_p/errors.json", "/_p/profiles.json", "/_p/profiles/x.json"] {
            let answer = dashboard.answer(path: path, rawQuery: nil, method: "GET", header: { _ in nil })
            guard case .offThread = answer else {
                Issue.record("\(path) is answered on the request's thread")
                continue
            }
        }
        // Refusals read nothing: answered at once.
        guard case .ready = dashboard.answer(path: "/_p/", rawQuery: nil, method: "POST", header: { _ in nil }) else {
            Issue.record("a refusal went off the thread")
            return
        }
    }

    /// A flood of page or document requests holds at most a few threads, even while the reports
    /// folder hangs: beyond them each is answered 503 at once. A path the dashboard does not
    /// have reads nothing and is answered on the request's thread.
    @Test func pageAndDocumentsAreBoundedAndAnUnknownPathIsAnsweredAtOnce() throws {
        let reports = try ScratchDirectory("dash-page-gate")
        defer { reports.remove() }
        let dashboard = try #require(core(reports: reports.path).dashboard)
        if case .ready(let unknown) = dashboard.answer(path: "/_p/nothing", rawQuery: nil, method: "GET", header: { _ in nil }) {
            #expect(unknown.status == 404)
        } else {
            Issue.record("an unknown path went off the thread")
        }
        for _ in 0..<dashboard.pageGate.capacity { #expect(dashboard.pageGate.tryEnter()) }
        for path in ["/_p", "/_p/", "/_p/metrics.json", "/_p/errors.json", "/_p/profiles.json"] {
            let busy = dashboard.respond(path: path, method: "GET", header: { _ in nil })
            #expect(busy.status == 503 && busy.header("Retry-After") == "1", "\(path) -> \(busy.status)")
        }
        for _ in 0..<dashboard.pageGate.capacity { dashboard.pageGate.leave() }
        #expect(dashboard.respond(path: "/_p/", method: "GET", header: { _ in nil }).status == 200)
    }

    /// swift-mustache's own html escaping misses a `<` joined to a mark before or after it.
    @Test func errorTextWithJoinedMarksIsEscapedInThePage() async throws {
        let reports = try ScratchDirectory("dash-escape-joined")
        defer { reports.remove() }
        let core = core(reports: reports.path)
        struct Hostile: Error, CustomStringConvertible {
            var description: String { "\u{600}<img src=x onerror=alert(document.domain)//\u{600}>" }
        }
        _ = try await CoreRequest(path: "/bad").send(to: core) { throw Hostile() }
        let page = try await CoreRequest(path: "/_p").response(from: core)
        #expect(page.status == 200)
        #expect(!page.text.contains("<img"))
        #expect(page.text.contains("\u{600}&lt;img src=x"))
    }
}
