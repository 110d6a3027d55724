import Foundation
import RequestMetrics

/// The JSON the dashboard serves (`metrics.json`, `errors.json`, `profiles.json`), with the
/// field names of the schema. Built from a stats snapshot and the profile registry.
enum DashboardDocument {
    struct Metrics: Encodable {
        var windowSeconds: Int
        var overall: Summary
        var routes: [Route]
        /// Present when events are exported (`PROFILING_METRICS`).
        var events: ExportHealth?

        enum CodingKeys: String, CodingKey {
            case windowSeconds = "window_seconds", overall, routes, events
        }
    }

    struct Summary: Encodable {
        var count: Int
        var rps: Double
        var errorRate: Double
        var p50Ms: Double
        var p95Ms: Double
        var p99Ms: Double

        enum CodingKeys: String, CodingKey {
            case count, rps, errorRate = "error_rate", p50Ms = "p50_ms", p95Ms = "p95_ms", p99Ms = "p99_ms"
        }

        init(_ summary: LatencySummary) {
            count = summary.count
            rps = DashboardDocument.rounded(summary.requestsPerSecond)
            errorRate = DashboardDocument.rounded(summary.errorRate)
            p50Ms = DashboardDocument.milliseconds(summary.p50Nanoseconds)
            p95Ms = DashboardDocument.milliseconds(summary.p95Nanoseconds)
            p99Ms = DashboardDocument.milliseconds(summary.p99Nanoseconds)
        }
    }

    struct Route: Encodable {
        var method: String
        var route: String
        var count: Int
        var errors: Int
        var errorRate: Double
        var p50Ms: Double
        var p95Ms: Double
        var p99Ms: Double
        /// File names of the route's saved reports, newest first.
        var profiles: [String]

        enum CodingKeys: String, CodingKey {
            case method, route, count, errors, errorRate = "error_rate", p50Ms = "p50_ms", p95Ms = "p95_ms", p99Ms = "p99_ms", profiles
        }

        init(_ stats: RouteStats, profiles: [String]) {
            let summary = Summary(stats.summary)
            method = stats.method
            route = stats.route
            count = stats.summary.count
            errors = stats.summary.errors
            errorRate = summary.errorRate
            p50Ms = summary.p50Ms
            p95Ms = summary.p95Ms
            p99Ms = summary.p99Ms
            self.profiles = profiles
        }
    }

    struct Error: Encodable {
        var tsNs: UInt64
        var method: String
        var route: String
        var status: Int
        var exceptionType: String
        var exceptionValue: String

        enum CodingKeys: String, CodingKey {
            case tsNs = "ts_ns", method, route, status, exceptionType = "exception_type", exceptionValue = "exception_value"
        }

        init(_ error: RecentError) {
            tsNs = error.timestampNanoseconds
            method = error.method
            route = error.route
            status = error.status
            exceptionType = error.exceptionType
            exceptionValue = error.exceptionValue
        }
    }

    /// `metrics.json`: the snapshot, routes slowest p95 first, each with its reports' names;
    /// then, as the page lists them (the route of the newest report first), the routes with
    /// saved reports but no request in the window (quiet since, or reports of an earlier run),
    /// with a count of 0 and times of 0, as the overall summary of an empty window has: a script
    /// reading `routes[].profiles` must reach every report the dashboard keeps.
    static func metrics(_ snapshot: StatsSnapshot, profiles: [CapturedProfile], events: ExportHealth? = nil) -> Metrics {
        var files: [MethodAndRoute: [String]] = [:]
        var newestFirst: [MethodAndRoute] = []
        for profile in profiles.reversed() {
            let key = MethodAndRoute(method: profile.method, route: profile.route)
            if files[key] == nil { newestFirst.append(key) }
            files[key, default: []].append(profile.file)
        }
        var routes = snapshot.routes
            .sorted { $0.summary.p95Nanoseconds > $1.summary.p95Nanoseconds }
            .map { stats in Route(stats, profiles: files.removeValue(forKey: MethodAndRoute(method: stats.method, route: stats.route)) ?? []) }
        let quiet = LatencySummary(count: 0, errors: 0, errorRate: 0, requestsPerSecond: 0, p50Nanoseconds: 0, p95Nanoseconds: 0, p99Nanoseconds: 0)
        routes += newestFirst.compactMap { key in
            files[key].map { Route(RouteStats(method: key.method, route: key.route, summary: quiet), profiles: $0) }
        }
        return Metrics(windowSeconds: snapshot.windowSeconds, overall: Summary(snapshot.overall), routes: routes, events: events)
    }

    private struct MethodAndRoute: Hashable {
        var method: String
        var route: String
    }

    /// `errors.json`: newest first.
    static func errors(_ snapshot: StatsSnapshot) -> [Error] {
        snapshot.recentErrors.map(Error.init)
    }

    /// `profiles.json`: newest first.
    static func profiles(_ profiles: [CapturedProfile]) -> [CapturedProfile] {
        profiles.reversed()
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(value))) ?? Array("null".utf8)
    }

    static func milliseconds(_ nanoseconds: UInt64) -> Double {
        rounded(Double(nanoseconds) / 1e6)
    }

    /// Three decimals: enough for sub-millisecond latencies, short enough to read.
    static func rounded(_ value: Double) -> Double {
        guard value.isFinite else { return 0 }
        return (value * 1000).rounded() / 1000
    }
}
