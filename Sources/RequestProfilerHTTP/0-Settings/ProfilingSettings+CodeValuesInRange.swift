extension ProfilingSettings {
    /// These settings with the sampling interval and maximum duration brought into the ranges
    /// the environment's are refused outside of, a blank reports folder taken as unset (as the
    /// environment's empty value is), and a line for the log per value changed here or taken
    /// as another by the part it goes to (``valuesTakenOtherwise()``).
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
        // At least one interval: shorter, every report stopped before its first sample.
        let durations = settings.interval...SettingParser.maximumDurationLimit
        let duration = min(max(maximumDuration, durations.lowerBound), durations.upperBound)
        if duration != maximumDuration {
            changes.append("the maximum duration \(maximumDuration) is outside \(durations.lowerBound) to \(durations.upperBound); \(duration) is used")
            settings.maximumDuration = duration
        }
        return (settings, changes + settings.valuesTakenOtherwise())
    }

    /// A line for the log per setting made in code whose value the parts it goes to take as
    /// another: the environment's parser refuses these values with an error that names the
    /// variable, but code is not parsed, and a `rotateBytes: 0` meant as "never" started a new
    /// JSONL file with every batch (and, with `keepFiles`, deleted the events soon after)
    /// without a word.
    func valuesTakenOtherwise() -> [String] {
        var notes: [String] = []
        func share(_ value: Double, _ name: String) {
            guard !(0...1).contains(value) else { return }
            let used = value.isNaN ? 0 : min(max(value, 0), 1)
            notes.append("\(name) \(value) is outside 0 to 1; \(used) is used")
        }
        func atLeast(_ lowest: Int, _ value: Int, _ name: String, _ meaning: String) {
            guard value < lowest else { return }
            notes.append("\(name) \(value) is below \(lowest); \(lowest) is used (\(meaning))")
        }
        let most = ProfilingSettings.mostConcurrentProfiles
        if !(1...most).contains(maximumConcurrentProfiles) {
            notes.append(
                "maximumConcurrentProfiles \(maximumConcurrentProfiles) is outside 1 to \(most); \(min(max(maximumConcurrentProfiles, 1), most)) is used")
        }
        if metrics.isEnabled {
            share(metrics.sampleRate, "metrics.sampleRate")
            for override in metrics.overrides { share(override.rate, "the metrics rate override for \(override.pattern)") }
            if metrics.directory != nil {
                atLeast(1, metrics.rotateBytes, "metrics.rotateBytes", "a new JSONL file for every batch of events")
                atLeast(1, metrics.rotateSeconds, "metrics.rotateSeconds", "a new JSONL file every second")
                atLeast(0, metrics.keepFiles, "metrics.keepFiles", "every rotated file is kept")
            }
        }
        // A negative rate too: taken as 0, it turned auto-capture off without a word.
        share(autoCapture.rate, "autoCapture.rate")
        if autoCapture.isEnabled {
            atLeast(1, autoCapture.keepPerRoute, "autoCapture.keepPerRoute", "one automatic report per route")
        }
        return notes
    }
}
