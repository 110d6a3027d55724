import RequestProfilerPyroscope

/// A `PROFILING_*` environment variable this library does not read: most likely a misspelt
/// setting (`PROFILING_ENABLE=1`), which would otherwise leave the server running with the
/// default the user meant to change, without a word. Logged at start, with the nearest name.
public struct UnrecognizedSetting: Sendable, Equatable, CustomStringConvertible {
    public let variable: String
    /// The variable this library reads that is nearest in spelling, when one is close.
    public let suggestion: String?

    /// Every variable ``ProfilingSettings/init(environment:)`` reads.
    public static let knownVariables: Set<String> = {
        typealias Key = ProfilingSettings.EnvironmentKey
        return [
            Key.enabled, Key.interval, Key.format, Key.outputDirectory, Key.outputKeepFree, Key.print, Key.token,
            Key.maximumConcurrent, Key.overLimit, Key.maximumDuration, Key.metrics, Key.metricsSampleRate,
            Key.metricsExclude, Key.metricsOverrides, Key.metricsAlwaysErrors, Key.metricsDirectory,
            Key.metricsRotateBytes, Key.metricsRotateSeconds, Key.metricsKeepFiles, Key.metricsConsole, Key.dashboard,
            Key.dashboardToken, Key.autoRate, Key.autoSlowerThan, Key.autoKeep,
            PyroscopeSettings.urlVariable, PyroscopeSettings.appNameVariable, PyroscopeSettings.authHeaderVariable,
        ]
    }()

    /// The `PROFILING_*` variables of `environment` that are not settings, sorted by name.
    /// Kubernetes' service links for a Service named `profiling` (`PROFILING_SERVICE_HOST`,
    /// `PROFILING_PORT_4040_TCP`, ...) are not a user's settings and are passed over.
    public static func all(in environment: [String: String]) -> [UnrecognizedSetting] {
        environment.keys.filter { $0.hasPrefix(prefix) && !knownVariables.contains($0) && !isServiceLink($0) }.sorted()
            .map { UnrecognizedSetting(variable: $0, suggestion: nearestKnown(to: $0)) }
    }

    private static let prefix = "PROFILING_"

    private nonisolated(unsafe) static let serviceLink =
        /PROFILING_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_[0-9]+_(TCP|UDP|SCTP)(_(ADDR|PORT|PROTO))?)?)/

    static func isServiceLink(_ name: String) -> Bool {
        name.wholeMatch(of: serviceLink) != nil
    }

    public var description: String {
        let hint = suggestion.map { " (did you mean \($0)?)" } ?? ""
        return "\(variable) is not a setting of the request profiler\(hint); it is ignored"
    }

    /// The known name at the smallest edit distance, counted after `PROFILING_` (which they
    /// all share), if it is at most a quarter of that part (1 for `ENABLE`, 3 for
    /// `MAX_CONCURENT`): further off, a guess would mislead (`PROFILING_ON` is not
    /// `PROFILING_TOKEN`).
    static func nearestKnown(to name: String) -> String? {
        let part = Array(name.utf8.dropFirst(prefix.utf8.count))
        let limit = max(1, part.count / 4)
        var best: (name: String, distance: Int)?
        for known in knownVariables.sorted() {
            let distance = editDistance(part, Array(known.utf8.dropFirst(prefix.utf8.count)))
            if distance <= limit, distance < (best?.distance ?? .max) { best = (known, distance) }
        }
        return best?.name
    }

    /// Levenshtein distance (insertions, deletions, substitutions), one row at a time.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
