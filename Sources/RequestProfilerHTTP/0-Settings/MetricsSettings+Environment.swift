extension MetricsSettings {
    /// The `PROFILING_METRICS*` variables; `value` returns a trimmed, non-empty variable or nil.
    init(_ value: (String) -> String?) throws {
        self.init()
        typealias Key = ProfilingSettings.EnvironmentKey
        if let text = value(Key.metrics) { isEnabled = try SettingParser.boolean(text, name: Key.metrics) }
        if let text = value(Key.metricsSampleRate) { sampleRate = try SettingParser.unitInterval(text, name: Key.metricsSampleRate) }
        if let text = value(Key.metricsExclude) { exclusions = try SettingParser.pathPatterns(text, name: Key.metricsExclude) }
        if let text = value(Key.metricsOverrides) { overrides = try SettingParser.rateOverrides(text, name: Key.metricsOverrides) }
        if let text = value(Key.metricsAlwaysErrors) {
            alwaysRecordsErrors = try SettingParser.boolean(text, name: Key.metricsAlwaysErrors)
        }
        directory = value(Key.metricsDirectory)
        if let text = value(Key.metricsRotateBytes) {
            rotateBytes = try SettingParser.positiveInteger(
                text, name: Key.metricsRotateBytes, atMost: MetricsSettings.largestRotateBytes)
        }
        if let text = value(Key.metricsRotateSeconds) {
            rotateSeconds = try SettingParser.positiveInteger(
                text, name: Key.metricsRotateSeconds, atMost: MetricsSettings.longestRotateSeconds)
        }
        if let text = value(Key.metricsConsole) { printsToConsole = try SettingParser.boolean(text, name: Key.metricsConsole) }
        if let text = value(Key.metricsKeepFiles) {
            keepFiles = try SettingParser.count(text, name: Key.metricsKeepFiles, atMost: MetricsSettings.mostKeptFiles)
        }
    }
}
