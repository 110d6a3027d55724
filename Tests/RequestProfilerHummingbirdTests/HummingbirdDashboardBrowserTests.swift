#if Hummingbird
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ProfilingScenarios
import RequestProfilerHTTP
import RequestProfilerHummingbird
import Synchronization
import Testing

/// The dashboard page of a live Hummingbird server, opened in headless Chromium: its script
/// runs without errors, sorts the route table by p95, and a profile link opens the report.
@Test func dashboardPageInChromium() async throws {
    let chromium = try HeadlessChromium()
    let reports = FileManager.default.temporaryDirectory.appendingPathComponent("rp-dash-browser-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: reports) }
    let settings = ProfilingSettings(
        outputDirectory: reports, dashboard: DashboardSettings(prefix: "/_profiler"),
        autoCapture: AutoCaptureSettings(rate: 1, slowerThan: .milliseconds(30)), random: .seeded(3))
    let router = Router()
    router.add(middleware: RequestProfilingMiddleware(settings))
    router.get("fast") { _, _ in "fast" }
    router.get("slow/:id") { _, _ async -> String in "slow \(spin(for: .milliseconds(60)))" }
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    try await app.test(.live) { client in
        let port = try #require(client.port)
        for path in ["/fast", "/fast", "/slow/1", "/fast"] {
            _ = try await client.execute(uri: path, method: .get)
        }
        try await waitForAProfile(client)
        let page = try await chromium.load("http://127.0.0.1:\(port)/_profiler")
        #expect(page.consoleMessages.isEmpty, "console: \(page.consoleMessages)")
        #expect(page.dom.contains(#"data-state="ready""#), "the page's script did not finish")
        #expect(page.dom.contains(#"data-sorted="p95-desc""#), "the script did not sort the table")
        // Rows in the order the script left them: p95 (nanoseconds, data-p95) descending.
        let p95s = page.dom.matches(of: /<tr class="route" data-p95="([0-9]+)"/).compactMap { UInt64($0.1) }
        #expect(p95s.count == 2)
        #expect(p95s == p95s.sorted(by: >), "rows not sorted by p95: \(p95s)")
        #expect(page.dom.contains("/slow/{id}") && page.dom.contains("/fast"))
        #expect(page.dom.contains("<polyline"))
        // The slow route's captured profile is linked; following the link opens the report.
        let link = try #require(page.dom.firstMatch(of: /href="(\/_profiler\/profiles\/[^"]+\.json\?format=html)"/)?.1)
        let report = try await chromium.load("http://127.0.0.1:\(port)\(link)")
        #expect(report.dom.contains("id=\"flame-section\""), "the link did not open the html report: \(report.dom.prefix(300))")
        #expect(report.dom.contains("/slow/{id}"))
        #expect(report.consoleMessages.isEmpty, "console: \(report.consoleMessages)")
        // The route's aggregate link opens the aggregate of its captured profiles.
        let aggregateLink = try #require(page.dom.firstMatch(of: /class="aggregate" href="([^"]+)"/)?.1)
        let aggregate = try await chromium.load("http://127.0.0.1:\(port)\(aggregateLink.replacingOccurrences(of: "&amp;", with: "&"))")
        #expect(aggregate.consoleMessages.isEmpty, "console: \(aggregate.consoleMessages)")
        #expect(aggregate.dom.contains("Aggregate of 1 request"), "not the aggregate: \(aggregate.dom.prefix(300))")
    }
}

/// A route with saved reports but no request in the window (here, a report of an earlier run)
/// has no p95: it stays after the measured routes whether they are sorted slowest first or,
/// as the address asks with `#p95-asc`, fastest first.
@Test func routesWithoutRequestsStayLastInEitherOrder() async throws {
    let chromium = try HeadlessChromium()
    let reports = FileManager.default.temporaryDirectory.appendingPathComponent("rp-dash-order-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: reports) }
    let settings = ProfilingSettings(isEnabled: true, outputDirectory: reports, dashboard: DashboardSettings(prefix: "/_profiler"))
    func app(_ routes: (Router<BasicRequestContext>) -> Void) -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: RequestProfilingMiddleware(settings))
        routes(router)
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
    try await app { $0.get("old") { _, _ in "old" } }.test(.live) { client in
        let saved = try await client.execute(uri: "/old?profile=1&profile_save=1&profile_format=json", method: .get)
        #expect(saved.headers[HTTPField.Name(ProfilingParameter.reportHeader)!] != nil)
    }
    try await app {
        $0.get("fast") { _, _ in "fast" }
        $0.get("slow") { _, _ async -> String in "slow \(spin(for: .milliseconds(20)))" }
    }.test(.live) { client in
        let port = try #require(client.port)
        for path in ["/fast", "/slow", "/fast"] { _ = try await client.execute(uri: path, method: .get) }
        for (address, descending) in [("/_profiler#p95-asc", false), ("/_profiler", true)] {
            let page = try await chromium.load("http://127.0.0.1:\(port)\(address)")
            #expect(page.consoleMessages.isEmpty, "console: \(page.consoleMessages)")
            #expect(page.dom.contains(#"data-sorted="p95-\#(descending ? "desc" : "asc")""#), "\(address)")
            let p95s = page.dom.matches(of: /<tr class="route" data-p95="([0-9]*)"/).map { String($0.1) }
            #expect(p95s.count == 3 && p95s.last == "", "\(address): \(p95s)")
            let measured = p95s.dropLast().compactMap { UInt64($0) }
            #expect(measured.count == 2 && measured == measured.sorted(by: descending ? (>) : (<)), "\(address): \(p95s)")
        }
    }
}

/// An error message built from client input, shown on the dashboard, runs no script in a real
/// browser: it is escaped scalar by scalar, and the page's policy runs only its own script.
@Test func hostileErrorTextRunsNoScriptOnThePage() async throws {
    let chromium = try HeadlessChromium()
    let reports = FileManager.default.temporaryDirectory.appendingPathComponent("rp-dash-xss-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: reports) }
    struct Hostile: Error, CustomStringConvertible {
        var description: String { "\u{600}<img src=x onerror=document.body.dataset.pwned=1//\u{600}>" }
    }
    let router = Router()
    router.add(middleware: RequestProfilingMiddleware(ProfilingSettings(outputDirectory: reports, dashboard: DashboardSettings(prefix: "/_profiler"))))
    router.get("bad") { _, _ -> String in throw Hostile() }
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    try await app.test(.live) { client in
        let port = try #require(client.port)
        _ = try await client.execute(uri: "/bad", method: .get)
        let page = try await chromium.load("http://127.0.0.1:\(port)/_profiler")
        #expect(page.dom.contains(#"data-state="ready""#), "the page's own script did not run")
        #expect(!page.dom.contains("data-pwned"), "the error text ran a script")
        #expect(!page.dom.contains("<img src=\"x\""), "the error text became markup")
    }
}

/// The page reloads its figures in place. A gate in front of the dashboard holds the page's
/// second fetch (its first refresh) until five more requests were served, so the figures the
/// refresh brings are known exactly: 3 requests when the page was served, 8 after.
@Test func dashboardPageRefreshesItsFiguresInPlace() async throws {
    let chromium = try HeadlessChromium()
    let reports = FileManager.default.temporaryDirectory.appendingPathComponent("rp-dash-live-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: reports) }
    let gate = RefreshGate()
    let router = Router()
    router.add(middleware: gate)
    router.add(middleware: RequestProfilingMiddleware(ProfilingSettings(outputDirectory: reports, dashboard: DashboardSettings(prefix: "/_profiler"))))
    router.get("fast") { _, _ in "fast" }
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    try await app.test(.live) { client in
        let port = try #require(client.port)
        for _ in 0..<3 { _ = try await client.execute(uri: "/fast", method: .get) }
        let traffic = Task {
            // After the page was served (3 requests), before its first refresh is answered.
            while !gate.firstPageServed.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(10)) }
            for _ in 0..<5 { _ = try await client.execute(uri: "/fast", method: .get) }
            gate.trafficDone.store(true, ordering: .releasing)
        }
        let page = try await chromium.load("http://127.0.0.1:\(port)/_profiler", virtualTimeMilliseconds: 14_000)
        traffic.cancel()
        #expect(page.consoleMessages.isEmpty, "console: \(page.consoleMessages)")
        #expect(page.dom.contains(#"data-state="ready""#))
        let refreshes = Int(page.dom.firstMatch(of: /data-refreshes="([0-9]+)"/)?.1 ?? "") ?? 0
        #expect(refreshes >= 2, "refreshes: \(refreshes)")
        #expect(page.dom.contains(#"<span class="value" id="kpi-count">8</span>"#), "the count was not updated: \(page.dom.prefix(1500))")
        #expect(page.dom.components(separatedBy: #"<tr class="route""#).count == 2, "one route row, not a second table")
        #expect(page.dom.contains(#"data-sorted="p95-desc""#), "the refreshed table is sorted again")
        #expect(gate.pageRequests.load(ordering: .relaxed) >= 3)
    }
}

/// A refresh answered with a 200 that is not the dashboard (a sign-in proxy in front of an
/// expired session answers with its login page) must be shown as a failed refresh, not taken
/// for fresh figures.
@Test func dashboardPageSaysWhenARefreshIsNotTheDashboard() async throws {
    let chromium = try HeadlessChromium()
    let reports = FileManager.default.temporaryDirectory.appendingPathComponent("rp-dash-proxy-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: reports) }
    let router = Router()
    router.add(middleware: SignInProxy())
    router.add(middleware: RequestProfilingMiddleware(ProfilingSettings(outputDirectory: reports, dashboard: DashboardSettings(prefix: "/_profiler"))))
    router.get("fast") { _, _ in "fast" }
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    try await app.test(.live) { client in
        let port = try #require(client.port)
        _ = try await client.execute(uri: "/fast", method: .get)
        let page = try await chromium.load("http://127.0.0.1:\(port)/_profiler", virtualTimeMilliseconds: 7_000)
        #expect(page.consoleMessages.isEmpty, "console: \(page.consoleMessages)")
        #expect(page.dom.contains(#"data-state="ready""#))
        let status = page.dom.firstMatch(of: /<span id="live-status"[^>]*>([^<]*)</)
        #expect(status?.0.contains(#"class="stale""#) == true, "the failed refresh is not shown: \(page.dom.prefix(1500))")
        #expect(status?.1.contains("not the dashboard") == true)
        #expect(!page.dom.contains("data-refreshes="), "counted as a refresh")
        #expect(page.dom.contains(#"id="kpis""#), "the figures were swapped out")
    }
}

/// Answers every dashboard page request after the first with a login page, with a 200.
private final class SignInProxy: RouterMiddleware, Sendable {
    typealias Context = BasicRequestContext
    let pageRequests = Atomic<Int>(0)

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path == "/_profiler" || request.uri.path == "/_profiler/" else { return try await next(request, context) }
        guard pageRequests.add(1, ordering: .relaxed).newValue >= 2 else { return try await next(request, context) }
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: "<!doctype html><html><body><form>Sign in</form></body></html>")))
    }
}

/// Counts the dashboard page's requests and holds the second one until `trafficDone`.
private final class RefreshGate: RouterMiddleware, Sendable {
    typealias Context = BasicRequestContext
    let pageRequests = Atomic<Int>(0)
    let firstPageServed = Atomic<Bool>(false)
    let trafficDone = Atomic<Bool>(false)

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path == "/_profiler" || request.uri.path == "/_profiler/" else { return try await next(request, context) }
        let number = pageRequests.add(1, ordering: .relaxed).newValue
        if number >= 2 {
            for _ in 0..<1_000 where !trafficDone.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(10)) }
        }
        let response = try await next(request, context)
        if number == 1 { firstPageServed.store(true, ordering: .releasing) }
        return response
    }
}

/// With a token set, a browser signs in once with `?token=` and then opens the page and the
/// reports it links through the cookie it was given; without signing in it gets the 401.
@Test func tokenProtectedDashboardInChromium() async throws {
    let chromium = try HeadlessChromium(keepsCookies: true)
    defer { chromium.removeProfile() }
    try await withTokenDashboard { port, _ in
        let refused = try await chromium.load("http://127.0.0.1:\(port)/_profiler")
        #expect(!refused.dom.contains(#"data-state="ready""#), "the page opened without the token")
        let page = try await chromium.load("http://127.0.0.1:\(port)/_profiler?token=t0ken-42")
        #expect(page.consoleMessages.isEmpty, "console: \(page.consoleMessages)")
        #expect(page.dom.contains(#"data-state="ready""#), "signing in did not open the page: \(page.dom.prefix(300))")
        // A later visit, like a click on a link, carries the cookie.
        let link = try #require(page.dom.firstMatch(of: /href="(\/_profiler\/profiles\/[^"]+\.json\?format=html)"/)?.1)
        let report = try await chromium.load("http://127.0.0.1:\(port)\(link)")
        #expect(report.dom.contains("id=\"flame-section\""), "the link did not open the report: \(report.dom.prefix(300))")
    }
}

/// The sign-in link followed from another site (a runbook, a chat message): here a file page
/// that moves on to `?token=` at once. The cookie the sign-in sets must come with the redirect
/// that follows, and with a later link to a report from that other site too; with
/// `SameSite=Strict` the browser held it back on both, and the user got the 401.
@Test func signInFollowedFromAnotherSiteOpensTheDashboard() async throws {
    let chromium = try HeadlessChromium(keepsCookies: true)
    defer { chromium.removeProfile() }
    try await withTokenDashboard { port, scratch in
        func linkPage(to target: String, named name: String) throws -> String {
            let page = scratch.appendingPathComponent(name)
            try Data("<html><head><meta http-equiv=\"refresh\" content=\"0;url=\(target)\"></head><body>elsewhere</body></html>".utf8)
                .write(to: page)
            return page.absoluteString
        }
        // A meta refresh under virtual time now and then dumps no DOM at all (seen in 3 of 8
        // runs of one build, then never again): a browser hiccup, not an answer. Retried;
        // the bug this test catches answers with the 401's text.
        func followed(_ file: String) async throws -> HeadlessChromium.Page {
            var page = try await chromium.load(file, virtualTimeMilliseconds: 3_000)
            for _ in 0..<2 where page.dom.isEmpty { page = try await chromium.load(file, virtualTimeMilliseconds: 3_000) }
            return page
        }
        let signIn = try linkPage(to: "http://127.0.0.1:\(port)/_profiler/?token=t0ken-42", named: "sign-in.html")
        let page = try await followed(signIn)
        #expect(page.dom.contains(#"data-state="ready""#), "signing in from another site did not open the page: \(page.dom.prefix(300))")
        let link = try #require(page.dom.firstMatch(of: /href="(\/_profiler\/profiles\/[^"]+\.json\?format=html)"/)?.1)
        let report = try await followed(try linkPage(to: "http://127.0.0.1:\(port)\(link)", named: "report.html"))
        #expect(report.dom.contains("id=\"flame-section\""), "a report linked from another site did not open: \(report.dom.prefix(300))")
    }
}

/// A live server whose dashboard (`/_profiler`) needs the token `t0ken-42`, with one automatic
/// report of `GET /slow` listed; `body` gets its port and a scratch folder of its own.
private func withTokenDashboard(_ body: @Sendable (_ port: Int, _ scratch: URL) async throws -> Void) async throws {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rp-dash-token-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let settings = ProfilingSettings(
        outputDirectory: scratch.appendingPathComponent("reports").path,
        dashboard: DashboardSettings(prefix: "/_profiler", token: "t0ken-42"),
        autoCapture: AutoCaptureSettings(rate: 1, slowerThan: .milliseconds(30)), random: .seeded(3))
    let router = Router()
    router.add(middleware: RequestProfilingMiddleware(settings))
    router.get("slow") { _, _ async -> String in "slow \(spin(for: .milliseconds(60)))" }
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    try await app.test(.live) { client in
        let port = try #require(client.port)
        _ = try await client.execute(uri: "/slow", method: .get)
        try await waitForAProfile(client, headers: [.authorization: "Bearer t0ken-42"])
        try await body(port, scratch)
    }
}

/// Returns once `/_profiler/profiles.json` lists a report (kept automatic reports are saved
/// after their responses), or after 10 s.
private func waitForAProfile(_ client: some TestClientProtocol, headers: HTTPFields = [:]) async throws {
    for _ in 0..<100 {
        let response: TestResponse = try await client.execute(uri: "/_profiler/profiles.json", method: .get, headers: headers)
        if String(buffer: response.body).contains("\"file\"") { return }
        try await Task.sleep(for: .milliseconds(100))
    }
}
#endif
