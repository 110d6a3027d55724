import Foundation
import RequestMetrics
import Testing
@testable import RequestProfilerHTTP

/// An invalid variable and the words its error must contain.
struct InvalidSetting: Sendable, CustomTestStringConvertible {
    var name: String
    var value: String
    var expected: String
    var testDescription: String { "\(name)=\(value)" }
}

@Suite("Metrics, dashboard and auto-capture settings")
struct MetricsSettingsTests {
    @Test func eachFeatureIsOffByDefault() throws {
        let settings = try ProfilingSettings(environment: [:])
        #expect(settings.metrics == MetricsSettings())
        #expect(!settings.metrics.isEnabled)
        #expect(settings.metrics.sampleRate == 1)
        #expect(settings.metrics.alwaysRecordsErrors)
        #expect(settings.metrics.directory == nil)
        #expect(settings.metrics.rotateBytes == 10_000_000)
        #expect(settings.metrics.rotateSeconds == 3600)
        #expect(!settings.dashboard.isEnabled)
        #expect(!settings.autoCapture.isEnabled)
        #expect(settings.autoCapture.keepPerRoute == 20)
        #expect(settings.autoCapture.slowerThan == nil)
        #expect(!RequestProfilingCore(settings: settings).handlesEveryRequest)
    }

    @Test func readsEveryVariable() throws {
        let settings = try ProfilingSettings(environment: [
            "PROFILING_METRICS": "on",
            "PROFILING_METRICS_SAMPLE_RATE": "0.25",
            "PROFILING_METRICS_EXCLUDE": "/health, /static/*,re:^/internal/.*$",
            "PROFILING_METRICS_OVERRIDES": "/api/*=0.5,/health=0",
            "PROFILING_METRICS_ALWAYS_ERRORS": "no",
            "PROFILING_METRICS_DIR": "/tmp/events",
            "PROFILING_METRICS_ROTATE_BYTES": "1000",
            "PROFILING_METRICS_ROTATE_SECONDS": "60",
            "PROFILING_METRICS_KEEP_FILES": "0",
            "PROFILING_METRICS_CONSOLE": "yes",
            "PROFILING_DASHBOARD": "/_profiler/",
            "PROFILING_DASHBOARD_TOKEN": "t0ken",
            "PROFILING_AUTO_RATE": "0.01",
            "PROFILING_AUTO_SLOWER_THAN": "250ms",
            "PROFILING_AUTO_KEEP": "5",
        ])
        #expect(settings.metrics.isEnabled)
        #expect(settings.metrics.sampleRate == 0.25)
        #expect(settings.metrics.exclusions == [
            try PathPattern(parsing: "/health"), try PathPattern(parsing: "/static/*"), try PathPattern(parsing: "re:^/internal/.*$"),
        ])
        #expect(settings.metrics.overrides == [
            RateOverride(pattern: try PathPattern(parsing: "/api/*"), rate: 0.5),
            RateOverride(pattern: try PathPattern(parsing: "/health"), rate: 0),
        ])
        #expect(!settings.metrics.alwaysRecordsErrors)
        #expect(settings.metrics.directory == "/tmp/events")
        #expect(settings.metrics.rotateBytes == 1000)
        #expect(settings.metrics.rotateSeconds == 60)
        #expect(settings.metrics.keepFiles == 0)
        #expect(MetricsSettings().keepFiles == 100)
        #expect(settings.metrics.printsToConsole && !MetricsSettings().printsToConsole)
        #expect(settings.dashboard == DashboardSettings(prefix: "/_profiler", token: "t0ken"))
        #expect(settings.autoCapture == AutoCaptureSettings(rate: 0.01, slowerThan: .milliseconds(250), keepPerRoute: 5))
        #expect(settings.isEnabled == false, "query profiling stays off: each feature is turned on on its own")
    }

    /// The console exporter is one setting away (it existed, but nothing could turn it on).
    @Test func theConsoleExporterIsTurnedOnBySetting() {
        let names = { (settings: MetricsSettings) in
            MetricsPipeline.exporters(for: settings, logger: .init(label: "test")).map(\.name)
        }
        #expect(names(MetricsSettings(isEnabled: true)) == ["swift-metrics"])
        #expect(names(MetricsSettings(isEnabled: true, printsToConsole: true)) == ["swift-metrics", "console"])
        #expect(names(MetricsSettings(isEnabled: false, printsToConsole: true)).isEmpty, "metrics off: no events at all")
    }

    /// A JSONL folder that cannot be written at start still gets its exporter, which the
    /// collector lists as disabled and tries again: left out, JSONL was off until a restart.
    @Test func aJSONLFolderNotWritableYetStillGetsItsExporter() throws {
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-blocked-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: blocker, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: blocker) }
        let exporters = MetricsPipeline.exporters(for: MetricsSettings(isEnabled: true, directory: blocker + "/metrics"), logger: .init(label: "test"))
        #expect(exporters.map(\.name) == ["swift-metrics", "jsonl"])
        #expect(exporters.last?.startFailure != nil)
        for exporter in exporters { exporter.close() }
    }

    @Test(arguments: [
        ["PROFILING_METRICS": "1"], ["PROFILING_DASHBOARD": "/_p"], ["PROFILING_AUTO_RATE": "0.5"],
    ])
    func eachFeatureAloneRoutesEveryRequestThroughTheCore(_ environment: [String: String]) throws {
        let core = RequestProfilingCore(settings: try ProfilingSettings(environment: environment))
        #expect(core.needsCore(rawQuery: nil))
        #expect(core.metrics != nil)
        #expect((core.dashboard != nil) == (environment["PROFILING_DASHBOARD"] != nil))
        #expect((core.autoCapture != nil) == (environment["PROFILING_AUTO_RATE"] != nil))
    }

    @Test(arguments: [
        InvalidSetting(name: "PROFILING_METRICS", value: "maybe", expected: "one of 1, 0"),
        InvalidSetting(name: "PROFILING_METRICS_SAMPLE_RATE", value: "1.5", expected: "from 0 to 1"),
        InvalidSetting(name: "PROFILING_METRICS_SAMPLE_RATE", value: "half", expected: "from 0 to 1"),
        InvalidSetting(name: "PROFILING_METRICS_EXCLUDE", value: "re:([", expected: "re:([") ,
        InvalidSetting(name: "PROFILING_METRICS_OVERRIDES", value: "/api/*", expected: "pattern=rate"),
        InvalidSetting(name: "PROFILING_METRICS_OVERRIDES", value: "/api/*=2", expected: "a rate from 0 to 1"),
        InvalidSetting(name: "PROFILING_METRICS_ALWAYS_ERRORS", value: "sometimes", expected: "one of 1, 0"),
        InvalidSetting(name: "PROFILING_METRICS_CONSOLE", value: "stdout", expected: "one of 1, 0"),
        InvalidSetting(name: "PROFILING_METRICS_ROTATE_BYTES", value: "0", expected: "from 1 to"),
        InvalidSetting(name: "PROFILING_METRICS_ROTATE_BYTES", value: "99999999999999999999", expected: "from 1 to 1000000000000"),
        InvalidSetting(name: "PROFILING_METRICS_ROTATE_SECONDS", value: "-5", expected: "from 1 to 31622400"),
        InvalidSetting(name: "PROFILING_METRICS_ROTATE_SECONDS", value: "18446744074", expected: "from 1 to 31622400"),
        InvalidSetting(name: "PROFILING_METRICS_KEEP_FILES", value: "-1", expected: "from 0 (no limit) to 1000000"),
        InvalidSetting(name: "PROFILING_METRICS_KEEP_FILES", value: "ten", expected: "from 0 (no limit) to 1000000"),
        InvalidSetting(name: "PROFILING_DASHBOARD", value: "_profiler", expected: "a path prefix"),
        InvalidSetting(name: "PROFILING_DASHBOARD", value: "/", expected: "a path prefix"),
        InvalidSetting(name: "PROFILING_DASHBOARD", value: "/a/../b", expected: "a path prefix"),
        InvalidSetting(name: "PROFILING_DASHBOARD", value: "//x", expected: "a path prefix"),
        InvalidSetting(name: "PROFILING_DASHBOARD", value: "/a//b", expected: "a path prefix"),
        // Compared with the percent-encoded path: never reached; `;` would cut the cookie's Path.
        InvalidSetting(name: "PROFILING_DASHBOARD", value: "/_profilé", expected: "ASCII letters, digits and -._~/"),
        InvalidSetting(name: "PROFILING_DASHBOARD", value: "/a;b", expected: "ASCII letters, digits and -._~/"),
        InvalidSetting(name: "PROFILING_DASHBOARD", value: "/a\"b", expected: "ASCII letters, digits and -._~/"),
        InvalidSetting(name: "PROFILING_AUTO_RATE", value: "-0.1", expected: "from 0 to 1"),
        InvalidSetting(name: "PROFILING_AUTO_SLOWER_THAN", value: "slow", expected: "a positive duration"),
        InvalidSetting(name: "PROFILING_AUTO_KEEP", value: "0", expected: "at least 1"),
    ])
    func badValuesNameTheVariable(_ invalid: InvalidSetting) {
        do {
            _ = try ProfilingSettings(environment: [invalid.name: invalid.value])
            Issue.record("\(invalid.name)=\(invalid.value) was accepted")
        } catch let error as ProfilingSettingsError {
            #expect(error.name == invalid.name)
            #expect(error.value == invalid.value)
            #expect(error.description.contains(invalid.expected), "\(error.description)")
            #expect(error.description.hasPrefix("invalid \(invalid.name)=\"\(invalid.value)\""))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func settableInCodeWithASeededRandomSource() {
        var settings = ProfilingSettings()
        settings.metrics.isEnabled = true
        settings.metrics.directory = "/tmp/x"
        settings.dashboard.prefix = "/_profiler"
        settings.autoCapture = AutoCaptureSettings(rate: 1, slowerThan: .milliseconds(10))
        settings.random = .seeded(42)
        #expect(settings.random == .seeded(42))
        #expect(settings.random != .seeded(43))
        #expect(settings.random != .system)
        let core = RequestProfilingCore(settings: settings)
        #expect(core.dashboard?.prefix == "/_profiler")
        #expect(core.autoCapture?.rule.fixedThreshold == .milliseconds(10))
    }

    /// A prefix set in code is checked as the environment's is: a bad one turns the dashboard
    /// off instead of serving it where no request reaches it (or cutting its cookie's path).
    @Test func aBadPrefixSetInCodeTurnsTheDashboardOff() {
        #expect(RequestProfilingCore(settings: ProfilingSettings(dashboard: DashboardSettings(prefix: "/a;b"))).dashboard == nil)
        #expect(RequestProfilingCore(settings: ProfilingSettings(dashboard: DashboardSettings(prefix: "/ok/"))).dashboard?.prefix == "/ok")
    }
}
