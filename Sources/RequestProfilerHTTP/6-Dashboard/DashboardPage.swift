import Foundation
import Mustache
import ProfileAggregate
import ProfileReports
import ReportTemplates
import RequestMetrics

/// Renders the dashboard's html page from `Templates/dashboard/` with a stats snapshot and the
/// saved reports. The routes are rendered as rows; the page's small script sorts them by p95.
struct DashboardPage: Sendable {
    /// The templates, parsed once per process, with ``ScalarHTMLEscaping`` (swift-mustache's
    /// own html escaping lets a `<` joined to a combining mark through).
    static let library: Result<MustacheLibrary, any Error> = Result {
        var library = MustacheLibrary()
        for (name, text) in DashboardTemplates.all.sorted(by: { $0.key < $1.key }) {
            try library.register(ScalarHTMLEscaping.selected(in: text), named: name)
        }
        return library
    }

    let prefix: String
    /// How many reports on each side the per-route diff link compares.
    let diffCount: Int

    /// How often the page's script reloads the figures in place.
    static let refreshSeconds = 5

    /// - Parameter renderedAt: seconds since 1970, shown as the figures' age.
    /// - Parameter events: the export's health, shown as a warning when events were lost.
    /// - Parameter nonce: the page's script carries it; the response's
    ///   Content-Security-Policy lets only that script run (see ``DashboardPolicy``).
    func render(
        _ snapshot: StatsSnapshot, profiles: [CapturedProfile], events: ExportHealth? = nil,
        renderedAt: Double = Date().timeIntervalSince1970, nonce: String = DashboardPolicy.newNonce()
    ) throws -> String {
        let library = try Self.library.get()
        var context = context(snapshot, profiles: profiles)
        context["nonce"] = nonce
        context["exportWarning"] = events?.warning ?? ""
        context["refreshSeconds"] = String(Self.refreshSeconds)
        context["renderedAt"] = Self.clockTime(renderedAt)
        guard let html = library.render(context, withTemplate: DashboardTemplates.page) else {
            throw DashboardPageError(template: DashboardTemplates.page)
        }
        return html
    }

    func context(_ snapshot: StatsSnapshot, profiles: [CapturedProfile]) -> [String: Any] {
        let newestFirst = Array(profiles.reversed())
        var routes: [[String: Any]] = snapshot.routes.map { stats in
            var row = summary(stats.summary)
            row["method"] = stats.method
            row["route"] = stats.route
            row["p95Nanoseconds"] = String(stats.summary.p95Nanoseconds)
            addProfiles(of: stats.method, stats.route, from: newestFirst, to: &row)
            return row
        }
        // Routes with saved reports but no request in the window (quiet since, or reports of
        // an earlier run): rows of their own after the measured ones, so that no report the
        // dashboard keeps is out of reach of the page. No p95 (data-p95 empty): the page's
        // sort keeps them last in either order.
        var listed = Set(snapshot.routes.map { [$0.method, $0.route] })
        for profile in newestFirst where listed.insert([profile.method, profile.route]).inserted {
            var row: [String: Any] = [
                "method": profile.method, "route": profile.route, "count": "0", "errors": "0", "errorPercent": "0.0%",
                "p50": Self.noValue, "p95": Self.noValue, "p99": Self.noValue, "p95Nanoseconds": "",
            ]
            addProfiles(of: profile.method, profile.route, from: newestFirst, to: &row)
            routes.append(row)
        }
        let errors: [[String: Any]] = snapshot.recentErrors.map { error in
            [
                "time": Self.readableTime(Double(error.timestampNanoseconds) / 1e9),
                "method": error.method, "route": error.route, "status": String(error.status),
                "exceptionType": error.exceptionType, "exceptionValue": error.exceptionValue,
            ]
        }
        let sparkline = Sparkline(points: snapshot.sparkline)
        return [
            "prefix": prefix,
            "windowMinutes": String(snapshot.windowSeconds / 60),
            "overall": summary(snapshot.overall),
            "sparkline": ["points": sparkline.polylinePoints, "width": String(sparkline.width), "height": String(sparkline.height),
                          "peak": String(sparkline.peak)],
            "routes": routes,
            "errors": errors,
            "hasErrors": !errors.isEmpty,
        ]
    }

    /// A percentile of a route without requests in the window.
    static let noValue = "–"

    /// The route's report links, newest first, and its aggregate and diff links when it has
    /// json reports to read.
    private func addProfiles(of method: String, _ route: String, from newestFirst: [CapturedProfile], to row: inout [String: Any]) {
        let routeProfiles = newestFirst.filter { $0.method == method && $0.route == route }
        row["profiles"] = routeProfiles.map { profile -> [String: Any] in
            [
                "href": href(for: profile),
                "trigger": profile.trigger.rawValue,
                "duration": Self.milliseconds(profile.durationNanoseconds),
            ]
        }
        // Aggregate and diff read json reports: the automatic ones, and `profile_format=json` saves.
        let jsonCount = routeProfiles.filter { ReportLoader.isJSONReportName($0.file) }.count
        let routeQuery = "method=\(Self.queryValue(method))&route=\(Self.queryValue(route))"
        if jsonCount >= 1 {
            row["aggregateHref"] = "\(prefix)/aggregate?\(routeQuery)"
            row["jsonCount"] = String(min(jsonCount, SavedReportViews.mostAggregatedReports))
        }
        if jsonCount >= 2 {
            row["diffHref"] = "\(prefix)/diff?\(routeQuery)&n=\(diffCount)"
            row["diffCount"] = String(min(diffCount, jsonCount / 2))
        }
    }

    /// A json report opens as its html rendering; other formats as saved.
    private func href(for profile: CapturedProfile) -> String {
        let link = "\(prefix)/profiles/\(profile.file)"
        return ReportLoader.isJSONReportName(profile.file) ? link + "?format=html" : link
    }

    /// Percent-encodes a query value: route templates hold `/`, `:`, `{` and `}`.
    static func queryValue(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: queryValueCharacters) ?? text
    }

    private static let queryValueCharacters = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/:")

    private func summary(_ summary: LatencySummary) -> [String: Any] {
        [
            "count": String(summary.count),
            "errors": String(summary.errors),
            "rps": String(DashboardDocument.rounded(summary.requestsPerSecond)),
            "errorPercent": String(DashboardDocument.rounded(summary.errorRate * 100)) + "%",
            "p50": Self.milliseconds(summary.p50Nanoseconds),
            "p95": Self.milliseconds(summary.p95Nanoseconds),
            "p99": Self.milliseconds(summary.p99Nanoseconds),
        ]
    }

    /// `2026-12-06 03:31:47.756` (UTC): a recent error's time, readable at a glance.
    static func readableTime(_ secondsSince1970: Double) -> String {
        // Made from the report names' `YYYYMMDD-HHMMSS.mmm`, which needs no date formatter.
        let stamp = Array(ReportFileName.timestamp(secondsSince1970))
        func part(_ range: Range<Int>) -> String { String(stamp[range]) }
        return "\(part(0..<4))-\(part(4..<6))-\(part(6..<8)) \(part(9..<11)):\(part(11..<13)):\(part(13..<15))\(part(15..<stamp.count))"
    }

    /// `HH:MM:SS` (UTC) of `secondsSince1970`.
    static func clockTime(_ secondsSince1970: Double) -> String {
        String(readableTime(secondsSince1970).dropFirst(11).prefix(8))
    }

    static func milliseconds(_ nanoseconds: UInt64) -> String {
        String(DashboardDocument.milliseconds(nanoseconds)) + " ms"
    }
}
