extension AutoCaptureSettings {
    /// `PROFILING_AUTO_RATE`, `PROFILING_AUTO_SLOWER_THAN` and `PROFILING_AUTO_KEEP`.
    init(_ value: (String) -> String?) throws {
        self.init()
        typealias Key = ProfilingSettings.EnvironmentKey
        if let text = value(Key.autoRate) { rate = try SettingParser.unitInterval(text, name: Key.autoRate) }
        if let text = value(Key.autoSlowerThan) { slowerThan = try SettingParser.duration(text, name: Key.autoSlowerThan) }
        if let text = value(Key.autoKeep) { keepPerRoute = try SettingParser.positiveInteger(text, name: Key.autoKeep) }
    }
}
