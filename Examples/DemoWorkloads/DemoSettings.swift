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
}
