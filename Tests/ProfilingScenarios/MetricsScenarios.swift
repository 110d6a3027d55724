import Foundation
import RequestMetrics
import RequestProfilerHTTP
import Testing

/// Metrics, dashboard and auto-capture end to end, through a framework: what a user of the
/// adapter sees over HTTP (the dashboard's JSON, the saved reports) and in the JSONL events.
enum MetricsScenarios {
    static let prefix = "/_p"

    /// Requests are measured under their route templates, unmatched ones under one name, and
    /// the JSONL events carry the statuses; the dashboard's own requests are not measured. A
    /// thrown error behind a 5xx reaches REQ_META and the error ring with its type and message,
    /// also where the framework's error middleware answers for it (Vapor) before the profiler
    /// sees it; one that carries a 4xx status does not.
    static func eventsCarryRouteTemplates(_ harness: any ScenarioHarness) async throws {
        let events = ReportScenarios.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: events) }
        let settings = ProfilingSettings(
            metrics: MetricsSettings(isEnabled: true, directory: events), dashboard: DashboardSettings(prefix: prefix))
        try await harness.withServer(settings, state: ScenarioState()) { client in
            #expect(try await client.get("users/1").text == "user 1")
            #expect(try await client.get("users/2").status == 200)
            #expect(try await client.get("plain").status == 200)
            #expect(try await client.get("fails").status == 418)
            #expect(try await client.get("crashes").status == 500)
            #expect(try await client.get("no/such/route/42").status == 404)
            let metrics = try json(try await client.get("_p/metrics.json")) as? [String: Any]
            let routes = try #require(metrics?["routes"] as? [[String: Any]])
            let users = routes.first { $0["route"] as? String == harness.usersRouteTemplate }
            #expect(users?["count"] as? Int == 2, "routes: \(routes.map { $0["route"] ?? "" })")
            #expect(users?["method"] as? String == "GET")
            #expect(routes.contains { $0["route"] as? String == RouteName.unmatched })
            #expect(!routes.contains { ($0["route"] as? String ?? "").contains("42") }, "raw paths never become routes")
            #expect(!routes.contains { ($0["route"] as? String ?? "").hasPrefix(prefix) }, "the dashboard is not measured")
            #expect((metrics?["overall"] as? [String: Any])?["count"] as? Int == 6)
            let errors = try #require(try json(try await client.get("_p/errors.json")) as? [[String: Any]])
            let crash = errors.first { $0["route"] as? String == "/crashes" }
            #expect(crash?["status"] as? Int == 500)
            #expect((crash?["exception_type"] as? String)?.hasSuffix("ScenarioFailure") == true, "\(errors)")
            #expect(crash?["exception_value"] as? String == ScenarioFailure().description)

            let lines = try await eventLines(in: events, atLeast: 6)
            #expect(lines.contains { $0.contains("\"route\":\"\(harness.usersRouteTemplate)\"") && $0.contains("\"status\":200") })
            #expect(lines.contains { $0.contains("\"route\":\"/fails\"") && $0.contains("\"status\":418") })
            let meta = lines.filter { $0.contains("\"kind\":\"REQ_META\"") }
            #expect(meta.contains { $0.contains("\"route\":\"/crashes\"") && $0.contains("ScenarioFailure\"") && $0.contains("on purpose") }, "\(meta)")
            // An error that carries a 4xx status is an answer, not a failure (as FastAPI's HTTPException for profilis).
            #expect(!meta.contains { $0.contains("\"route\":\"/fails\"") }, "\(meta)")
            #expect(lines.contains { $0.contains("\"route\":\"\(RouteName.unmatched)\"") && $0.contains("\"status\":404") })
            #expect(lines.contains { $0.contains("\"route\":\"/plain\"") && $0.contains("\"bytes_out\":10") })
        }
    }

    /// With a token, every dashboard URL needs it; the page and JSON are served without any route.
    static func dashboardNeedsTheToken(_ harness: any ScenarioHarness) async throws {
        let reports = ReportScenarios.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: reports) }
        let settings = ProfilingSettings(outputDirectory: reports, dashboard: DashboardSettings(prefix: prefix, token: "tok"))
        try await harness.withServer(settings, state: ScenarioState()) { client in
            _ = try await client.get("plain")
            let refused = try await client.get("_p/metrics.json")
            #expect(refused.status == 401)
            #expect(refused.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
            #expect(try await client.get("_p", headers: ["Authorization": "Bearer nope"]).status == 401)
            let page = try await client.get("_p", headers: ["Authorization": "Bearer tok"])
            #expect(page.status == 200)
            #expect(page.header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(page.text.contains("/plain"))
            let errors = try await client.get("_p/errors.json", headers: ["Authorization": "Bearer tok"])
            #expect(errors.status == 200 && errors.text.hasPrefix("["))
            // The sign-in cookie counts however many other cookies come before it (8 KB of them here).
            let others = (0..<200).map { "cookie\($0)=\(String(repeating: "v", count: 30))" }.joined(separator: "; ")
            let cookie = "\(others); request_profiler_dashboard=tok"
            #expect(cookie.utf8.count > 8_000)
            #expect(try await client.get("_p/metrics.json", headers: ["Cookie": cookie]).status == 200)
            #expect(try await client.get("_p/metrics.json", headers: ["Cookie": others]).status == 401)
        }
    }

    /// A slow request is profiled without being asked; its report is listed and linked.
    static func autoCapturedReportIsListedAndLinked(_ harness: any ScenarioHarness) async throws {
        let reports = ReportScenarios.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: reports) }
        let settings = ProfilingSettings(
            outputDirectory: reports, dashboard: DashboardSettings(prefix: prefix),
            autoCapture: AutoCaptureSettings(rate: 1, slowerThan: .milliseconds(50)), random: .seeded(1))
        try await harness.withServer(settings, state: ScenarioState()) { client in
            let response = try await client.get("after-await")
            #expect(response.status == 200 && response.text.hasPrefix("after"))
            #expect(try await client.get("plain").text == "plain body")
            let profiles = try await listedProfiles(client, atLeast: 1)
            #expect(profiles.count == 1, "only the slow request is kept: \(profiles)")
            let profile = try #require(profiles.first)
            #expect(profile["route"] as? String == "/after-await")
            #expect(profile["trigger"] as? String == "auto")
            let file = try #require(profile["file"] as? String)
            let page = try await client.get("_p")
            #expect(page.text.contains("href=\"\(prefix)/profiles/\(file)?format=html\""), "a json report opens as html")
            let view = try await client.get("_p/profiles/\(file)?format=html")
            #expect(view.status == 200)
            #expect(view.header("Content-Type") == "text/html; charset=utf-8")
            #expect(view.text.contains("afterAwaitWork"))
            let report = try await client.get("_p/profiles/\(file)")
            #expect(report.status == 200)
            #expect(report.header("Content-Type") == "application/json")
            #expect(report.text.contains("afterAwaitWork"))
            #expect(try await client.get("_p/profiles/..%2F..%2Fetc%2Fpasswd").status == 404)
        }
    }

    /// A dashboard whose prefix lies under a catch-all route (`/files/**`) still answers there:
    /// the core reads the path of every request whose route may lie under the prefix. The
    /// route keeps serving the rest, and both are measured or not as they should be.
    static func dashboardUnderACatchAllRoute(_ harness: any ScenarioHarness) async throws {
        let settings = ProfilingSettings(
            metrics: MetricsSettings(isEnabled: true), dashboard: DashboardSettings(prefix: "/files/_p"))
        try await harness.withServer(settings, state: ScenarioState()) { client in
            #expect(try await client.get("files/a/b.txt").text == "file a/b.txt")
            #expect(try await client.get("plain").text == "plain body")
            let response = try await client.get("files/_p/metrics.json")
            #expect(response.status == 200)
            let metrics = try json(response) as? [String: Any]
            let routes = try #require(metrics?["routes"] as? [[String: Any]])
            #expect(Set(routes.compactMap { $0["route"] as? String }) == ["/plain", harness.filesRouteTemplate])
            #expect(try await client.get("files/_p").header("Content-Type")?.hasPrefix("text/html") == true)
        }
    }

    /// The dashboard's `profiles.json` once it lists `count` reports (kept automatic reports are
    /// saved after their responses); what it lists after 10 s otherwise.
    static func listedProfiles(_ client: any ScenarioClient, atLeast count: Int) async throws -> [[String: Any]] {
        var profiles: [[String: Any]] = []
        for _ in 0..<100 {
            profiles = try json(try await client.get("_p/profiles.json")) as? [[String: Any]] ?? []
            if profiles.count >= count { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return profiles
    }

    static func json(_ response: ScenarioResponse) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(response.body))
    }

    /// The lines of every JSONL file in `directory` once there are `count` (the collector
    /// flushes every 500 ms); whatever is there after 10 s otherwise.
    static func eventLines(in directory: String, atLeast count: Int) async throws -> [String] {
        var lines: [String] = []
        for _ in 0..<100 {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            lines = files.flatMap { name in
                ((try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            }
            if lines.filter({ $0.contains("\"kind\":\"REQ\"") }).count >= count { return lines }
            try await Task.sleep(for: .milliseconds(100))
        }
        return lines
    }
}

extension Scenario {
    /// Metrics, dashboard and auto-capture, run by each adapter's metrics test.
    public static let metrics: [Scenario] = [
        Scenario("metrics events carry route templates", run: MetricsScenarios.eventsCarryRouteTemplates),
        Scenario("dashboard needs the token", run: MetricsScenarios.dashboardNeedsTheToken),
        Scenario("auto-captured report is listed and linked", run: MetricsScenarios.autoCapturedReportIsListedAndLinked),
        Scenario("dashboard under a catch-all route", run: MetricsScenarios.dashboardUnderACatchAllRoute),
    ]
}
