import Foundation
import RequestMetrics
import Synchronization
import Testing
@testable import RequestProfilerHTTP

/// The core reads a request's path and query only when something needs them: Vapor builds each
/// through Foundation's URLComponents on every read, which cost more than all the measuring.
@Suite("Core: the path and the query are read only when needed")
struct LazyRequestPartsTests {
    /// Counts how often the core asks for the path and the query.
    final class Reads: Sendable {
        private let counts = Mutex<(path: Int, query: Int)>((0, 0))
        var path: Int { counts.withLock { $0.path } }
        var query: Int { counts.withLock { $0.query } }

        func path(_ value: String) -> String {
            counts.withLock { $0.path += 1 }
            return value
        }

        func query(_ value: String?) -> String? {
            counts.withLock { $0.query += 1 }
            return value
        }
    }

    private func send(
        _ core: RequestProfilingCore, path: String, query: String? = nil, route: String?, reads: Reads,
        headers: [String: String] = [:]
    ) async throws -> ProfilingOutcome<String> {
        try await core.handle(
            rawQuery: reads.query(query),
            header: { name in headers.first { $0.key.lowercased() == name.lowercased() }?.value },
            method: "GET", path: reads.path(path), route: { route },
            status: { result in (try? result.get()) != nil ? 200 : 500 },
            next: { "ok" })
    }

    private func settings(
        profiling: Bool = false, dashboard: String? = nil, exclusions: [PathPattern] = [], overrides: [RateOverride] = []
    ) -> ProfilingSettings {
        ProfilingSettings(
            isEnabled: profiling,
            metrics: MetricsSettings(isEnabled: true, exclusions: exclusions, overrides: overrides),
            dashboard: DashboardSettings(prefix: dashboard, token: nil))
    }

    /// Metrics on, no dashboard: the path is never read; the query only when profiling is
    /// enabled (it may turn profiling on), and then once.
    @Test(arguments: [false, true])
    func aMeasuredRequestReadsOnlyWhatItNeeds(profilingEnabled: Bool) async throws {
        let core = RequestProfilingCore(settings: settings(profiling: profilingEnabled))
        let reads = Reads()
        // Outside #expect, which would evaluate the argument itself to show its value.
        let needsCore = core.needsCore(rawQuery: reads.query("a=1"))
        #expect(needsCore)
        _ = try await send(core, path: "/hello", query: "a=1", route: "/hello", reads: reads)
        #expect(reads.path == 0)
        #expect(reads.query == (profilingEnabled ? 1 : 0))
        // It was measured all the same.
        #expect(core.metrics?.stats.snapshot().routes.map(\.route) == ["/hello"])
    }

    @Test func exclusionsAndOverridesReadThePathOnce() async throws {
        for settings in [
            settings(exclusions: [try PathPattern(parsing: "/health")]),
            settings(overrides: [RateOverride(pattern: try PathPattern(parsing: "/hello"), rate: 1)]),
        ] {
            let core = RequestProfilingCore(settings: settings)
            let reads = Reads()
            _ = try await send(core, path: "/hello", route: "/hello", reads: reads)
            #expect(reads.path == 1)
        }
        let excluding = RequestProfilingCore(settings: settings(exclusions: [try PathPattern(parsing: "/health")]))
        _ = try await send(excluding, path: "/health", route: "/health", reads: Reads())
        #expect(excluding.metrics?.stats.snapshot().overall.count == 0)
    }

    @Test func theDashboardReadsThePathOnlyForRoutesThatMayLieUnderItsPrefix() async throws {
        let core = RequestProfilingCore(settings: settings(dashboard: "/_profiler"))
        let matched = Reads()
        _ = try await send(core, path: "/hello", route: "/hello", reads: matched)
        #expect(matched.path == 0)
        // Unmatched requests and catch-all routes may be the dashboard's: it answers them.
        for route in [nil, "/**", "/:anything/*", "/_Profiler/{file}"] as [String?] {
            let reads = Reads()
            let outcome = try await send(core, path: "/_profiler/metrics.json", route: route, reads: reads)
            #expect(reads.path == 1, "\(route ?? "nil")")
            guard case .replaced(let response) = outcome else {
                Issue.record("route \(route ?? "nil"): the dashboard did not answer")
                continue
            }
            #expect(response.status == 200)
            #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
        }
        // The dashboard's own requests are not measured.
        #expect(core.metrics?.stats.snapshot().routes.map(\.route) == ["/hello"])
    }

    @Test func mayOwnLooksAtTheTemplatesFirstSegment() {
        let dashboard = RequestProfilingCore(settings: settings(dashboard: "/_profiler/ui")).dashboard!
        let may = [nil, "/**", "/*", "/:x", "/{x}", "/{x}.json", "/x*", "/_profiler", "/_PROFILER/ui", "/_profiler/other"]
        let cannot = ["/", "", "/hello", "/_profile", "/_profilers", "/users/:id", "/ui/_profiler"]
        for route in may { #expect(dashboard.mayOwn(route: route), "\(route ?? "nil")") }
        for route in cannot { #expect(!dashboard.mayOwn(route: route), "\(route)") }
    }
}
