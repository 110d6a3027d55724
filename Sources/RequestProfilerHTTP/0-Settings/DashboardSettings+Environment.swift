extension DashboardSettings {
    /// `PROFILING_DASHBOARD` and `PROFILING_DASHBOARD_TOKEN`.
    init(_ value: (String) -> String?) throws {
        typealias Key = ProfilingSettings.EnvironmentKey
        self.init(
            prefix: try value(Key.dashboard).map { try SettingParser.pathPrefix($0, name: Key.dashboard) },
            token: value(Key.dashboardToken))
    }
}
