import RequestProfilerPyroscope

extension ProfilingSettings {
    /// The environment variables read by ``init(environment:)``, in the order the docs list them.
    public enum EnvironmentKey {
        public static let enabled = "PROFILING_ENABLED"
        public static let interval = "PROFILING_INTERVAL"
        public static let format = "PROFILING_FORMAT"
        public static let outputDirectory = "PROFILING_OUTPUT_DIR"
        public static let outputKeepFree = "PROFILING_OUTPUT_KEEP_FREE"
        public static let print = "PROFILING_PRINT"
        public static let token = "PROFILING_TOKEN"
        public static let maximumConcurrent = "PROFILING_MAX_CONCURRENT"
        public static let overLimit = "PROFILING_OVER_LIMIT"
        public static let maximumDuration = "PROFILING_MAX_DURATION"
        public static let metrics = "PROFILING_METRICS"
        public static let metricsSampleRate = "PROFILING_METRICS_SAMPLE_RATE"
        public static let metricsExclude = "PROFILING_METRICS_EXCLUDE"
        public static let metricsOverrides = "PROFILING_METRICS_OVERRIDES"
        public static let metricsAlwaysErrors = "PROFILING_METRICS_ALWAYS_ERRORS"
        public static let metricsDirectory = "PROFILING_METRICS_DIR"
        public static let metricsRotateBytes = "PROFILING_METRICS_ROTATE_BYTES"
        public static let metricsRotateSeconds = "PROFILING_METRICS_ROTATE_SECONDS"
        public static let metricsKeepFiles = "PROFILING_METRICS_KEEP_FILES"
        public static let metricsConsole = "PROFILING_METRICS_CONSOLE"
        public static let dashboard = "PROFILING_DASHBOARD"
        public static let dashboardToken = "PROFILING_DASHBOARD_TOKEN"
        public static let autoRate = "PROFILING_AUTO_RATE"
        public static let autoSlowerThan = "PROFILING_AUTO_SLOWER_THAN"
        public static let autoKeep = "PROFILING_AUTO_KEEP"
    }

    /// Reads the `PROFILING_*` variables; unset or empty variables keep their defaults.
    ///
    /// Throws a ``ProfilingSettingsError`` naming the first variable whose value is not
    /// understood, rather than silently profiling with a setting nobody asked for.
    /// `ProfilingSettings(environment: ProcessInfo.processInfo.environment)` reads the
    /// process's own; the argument is required so that `ProfilingSettings()` stays the defaults.
    public init(environment: [String: String]) throws {
        self.init()
        func value(_ key: String) -> String? {
            guard let raw = environment[key]?.trimmingWhitespace(), !raw.isEmpty else { return nil }
            return raw
        }
        typealias Key = EnvironmentKey
        // A token variable that is set but blank is most likely a secret that was not filled
        // in (`PROFILING_DASHBOARD_TOKEN=$SECRET` with SECRET unset): refuse to start rather
        // than leave what it guards open.
        for key in [Key.token, Key.dashboardToken] {
            if let raw = environment[key], raw.trimmingWhitespace().isEmpty {
                throw ProfilingSettingsError(name: key, value: raw, expected: "a token that is not blank (unset the variable for none)")
            }
        }
        if let text = value(Key.enabled) { isEnabled = try SettingParser.boolean(text, name: Key.enabled) }
        if let text = value(Key.interval) { interval = try SettingParser.interval(text, name: Key.interval) }
        if let text = value(Key.format) { defaultFormat = try SettingParser.format(text, name: Key.format) }
        outputDirectory = value(Key.outputDirectory)
        if let text = value(Key.outputKeepFree) { reportsKeepFree = try SettingParser.diskReserve(text, name: Key.outputKeepFree) }
        if let text = value(Key.print) { printsReports = try SettingParser.boolean(text, name: Key.print) }
        token = value(Key.token)
        if let text = value(Key.maximumConcurrent) {
            maximumConcurrentProfiles = try SettingParser.positiveInteger(
                text, name: Key.maximumConcurrent, atMost: ProfilingSettings.mostConcurrentProfiles)
        }
        if let text = value(Key.overLimit) { overLimitPolicy = try SettingParser.overLimitPolicy(text, name: Key.overLimit) }
        if let text = value(Key.maximumDuration) {
            maximumDuration = try SettingParser.maximumDuration(text, name: Key.maximumDuration)
            // Shorter than one interval, every report stopped before its first sample: empty.
            guard maximumDuration >= interval else {
                throw ProfilingSettingsError(
                    name: Key.maximumDuration, value: text,
                    expected: "a duration of at least the sampling interval (\(Key.interval), \(interval))")
            }
        }
        metrics = try MetricsSettings(value)
        dashboard = try DashboardSettings(value)
        autoCapture = try AutoCaptureSettings(value)
        do {
            pyroscope = try PyroscopeSettings(environment: environment)
        } catch {
            throw ProfilingSettingsError(name: error.variable, value: error.value, expected: error.expected)
        }
        unrecognizedSettings = UnrecognizedSetting.all(in: environment)
    }
}
