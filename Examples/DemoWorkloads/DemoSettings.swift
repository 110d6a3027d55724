import Foundation
import RequestProfilerHTTP

/// The demos' profiling settings: the `PROFILING_*` variables, with profiling on unless
/// `PROFILING_ENABLED` says otherwise (a demo should profile out of the box; a real server
/// stays off by default). A bad value ends the demo with the settings error, not a crash log.
public enum DemoSettings {
    public static func load(from environment: [String: String]) -> ProfilingSettings {
        var environment = environment
        if environment["PROFILING_ENABLED"] == nil { environment["PROFILING_ENABLED"] = "1" }
        do {
            return try ProfilingSettings(environment: environment)
        } catch {
            FileHandle.standardError.write(Data("demo: \(error)\n".utf8))
            exit(2)
        }
    }
}
