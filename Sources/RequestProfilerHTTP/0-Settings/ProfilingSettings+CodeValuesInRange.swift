extension ProfilingSettings {
    /// These settings with the sampling interval and maximum duration brought into the ranges
    /// the environment's are refused outside of, a blank reports folder taken as unset (as the
    /// environment's empty value is), and a line for the log per value changed.
    ///
    /// A value set in code is not parsed: out of range, every `?profile=1` request failed with
    /// a `ProfilerError` that named no setting, and auto-capture logged a warning per request.
    /// A blank folder (`outputDirectory: config.reports ?? ""`) saved every report into the
    /// working directory without its free-space floor, and put the saved reports' index at
    /// `/.profiles.jsonl`.
    func withCodeValuesInRange() -> (settings: ProfilingSettings, changes: [String]) {
        var settings = self
        var changes: [String] = []
        if let folder = outputDirectory, folder.trimmingWhitespace().isEmpty {
            changes.append("the reports folder (outputDirectory) is blank; it is taken as unset: reports replace responses, and saved ones go to \(ProfilingSettings.defaultSaveDirectory)")
            settings.outputDirectory = nil
        }
        let intervals = SettingParser.intervalRange
        let interval = min(max(self.interval, intervals.lowerBound), intervals.upperBound)
        if interval != self.interval {
            changes.append("the sampling interval \(self.interval) is outside \(intervals.lowerBound) to \(intervals.upperBound); \(interval) is used")
            settings.interval = interval
        }
        let durations = Duration.nanoseconds(1)...SettingParser.maximumDurationLimit
        let duration = min(max(maximumDuration, durations.lowerBound), durations.upperBound)
        if duration != maximumDuration {
            changes.append("the maximum duration \(maximumDuration) is outside \(durations.lowerBound) to \(durations.upperBound); \(duration) is used")
            settings.maximumDuration = duration
        }
        return (settings, changes)
    }
}
