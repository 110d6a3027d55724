import Foundation
import RequestProfilerHTTP

/// The demos' profiling settings: the `PROFILING_*` variables, with profiling, metrics and the
/// dashboard (at `/_profiler`) on unless their variables say otherwise (a demo should show
/// everything out of the box; a real server keeps each off by default). An empty variable
/// turns its feature off (`PROFILING_DASHBOARD= swift run VaporDemo`). A bad value ends the
/// demo with the settings error, not a crash log.
public enum DemoSettings {
    /// The variables a demo sets when they are not set, and the values.
    public static let demoDefaults = [
        "PROFILING_ENABLED": "1",
        "PROFILING_METRICS": "1",
        "PROFILING_DASHBOARD": "/_profiler",
    ]

    public static func load(from environment: [String: String]) -> ProfilingSettings {
        var environment = environment
        for (name, value) in demoDefaults where environment[name] == nil { environment[name] = value }
        do {
            return try ProfilingSettings(environment: environment)
        } catch {
            FileHandle.standardError.write(Data("demo: \(error)\n".utf8))
            exit(2)
        }
    }

    /// `DEMO_FRAMEWORK_METRICS`: whether the framework's own request metrics run beside ours
    /// (Hummingbird's `MetricsMiddleware`, Vapor's `reportMetrics`), so that
    /// `scripts/bench-metrics.sh` can price them on the same route as a yardstick. `1` or `0`;
    /// unset (nil) keeps the framework's default: none in Hummingbird, on in Vapor.
    public static func frameworkMetrics(from environment: [String: String]) -> Bool? {
        switch environment["DEMO_FRAMEWORK_METRICS"] {
        case nil: return nil
        case "1": return true
        case "0": return false
        case let value?:
            FileHandle.standardError.write(Data("demo: DEMO_FRAMEWORK_METRICS must be 1 or 0, not '\(value)'\n".utf8))
            exit(2)
        }
    }
}
