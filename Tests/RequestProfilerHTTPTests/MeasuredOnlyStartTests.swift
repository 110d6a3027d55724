import RequestMetrics
import Testing
@testable import RequestProfilerHTTP

/// Which requests an adapter whose chain is future-based (Vapor) may measure without `handle`
/// and its task: only those that need nothing else of the core.
@Suite struct MeasuredOnlyStartTests {
    private func start(_ core: RequestProfilingCore, path: String, query: String? = nil, route: String?) -> MeasuredOnlyStart? {
        core.startMeasuredOnly(rawQuery: query, header: { _ in nil }, method: "GET", path: path, route: { route })
    }

    private func isMeasured(_ start: MeasuredOnlyStart?) -> Bool {
        if case .measured? = start { return true }
        return false
    }

    @Test func aPlainRequestIsMeasuredWithoutHandle() throws {
        let core = RequestProfilingCore(settings: ProfilingSettings(
            isEnabled: true, metrics: MetricsSettings(isEnabled: true, exclusions: [try PathPattern(parsing: "/health")]),
            dashboard: DashboardSettings(prefix: "/_p")))
        defer { core.shutdownAndWait() }
        #expect(isMeasured(start(core, path: "/hello", route: "/hello")))
        if case .unmeasured? = start(core, path: "/health", route: "/health") {} else { Issue.record("an excluded path is passed through") }
        #expect(start(core, path: "/hello", query: "profile=1", route: "/hello") == nil, "a ?profile=1 needs handle")
        #expect(start(core, path: "/_p/metrics.json", route: nil) == nil, "a URL that may be the dashboard's needs handle")
        #expect(start(core, path: "/users/7", route: "/:id") == nil, "a route whose first part is a parameter may lie under the prefix")
    }

    @Test func withAutoCaptureEveryRequestNeedsHandle() {
        let core = RequestProfilingCore(settings: ProfilingSettings(
            metrics: MetricsSettings(isEnabled: true), autoCapture: AutoCaptureSettings(rate: 0.01)))
        defer { core.shutdownAndWait() }
        #expect(start(core, path: "/hello", route: "/hello") == nil)
    }

    @Test func withProfilingOffAProfileQueryIsOnlyMeasured() {
        let core = RequestProfilingCore(settings: ProfilingSettings(metrics: MetricsSettings(isEnabled: true)))
        defer { core.shutdownAndWait() }
        #expect(isMeasured(start(core, path: "/hello", query: "profile=1", route: "/hello")))
    }
}
