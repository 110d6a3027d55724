import Mustache
import ReportTemplates
import RequestMetrics

/// Renders the dashboard's html page from `Templates/dashboard/` with a stats snapshot and the
/// saved reports. The routes are rendered as rows; the page's small script sorts them by p95.
struct DashboardPage: Sendable {
    /// The templates, parsed once per process.
    static let library: Result<MustacheLibrary, any Error> = Result {
        var library = MustacheLibrary()
        for (name, text) in DashboardTemplates.all.sorted(by: { $0.key < $1.key }) {
            try library.register(text, named: name)
        }
        return library
    }

    let prefix: String

    func render(_ snapshot: StatsSnapshot, profiles: [CapturedProfile]) throws -> String {
        let library = try Self.library.get()
        guard let html = library.render(context(snapshot, profiles: profiles), withTemplate: DashboardTemplates.page) else {
            throw DashboardPageError(template: DashboardTemplates.page)
        }
        return html
    }

    func context(_ snapshot: StatsSnapshot, profiles: [CapturedProfile]) -> [String: Any] {
        let newestFirst = Array(profiles.reversed())
        let routes: [[String: Any]] = snapshot.routes.map { stats in
            var row = summary(stats.summary)
            row["method"] = stats.method
            row["route"] = stats.route
            row["p95Nanoseconds"] = String(stats.summary.p95Nanoseconds)
            row["profiles"] = newestFirst
                .filter { $0.method == stats.method && $0.route == stats.route }
                .map { profile -> [String: Any] in
                    [
                        "href": "\(prefix)/profiles/\(profile.file)",
                        "trigger": profile.trigger.rawValue,
                        "duration": Self.milliseconds(profile.durationNanoseconds),
                    ]
                }
            return row
        }
        let errors: [[String: Any]] = snapshot.recentErrors.map { error in
            [
                "time": ReportFileName.timestamp(Double(error.timestampNanoseconds) / 1e9),
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

    static func milliseconds(_ nanoseconds: UInt64) -> String {
        String(DashboardDocument.milliseconds(nanoseconds)) + " ms"
    }
}
