import Testing
@testable import RequestProfilerHTTP

@Suite("Settings from the environment")
struct ProfilingSettingsTests {
    @Test func defaultsAreOffAndSafe() throws {
        let settings = try ProfilingSettings(environment: [:])
        #expect(settings == ProfilingSettings())
        #expect(settings.isEnabled == false)
        #expect(settings.interval == .milliseconds(1))
        #expect(settings.defaultFormat == .html)
        #expect(settings.outputDirectory == nil)
        #expect(settings.token == nil)
        #expect(settings.maximumConcurrentProfiles == 2)
        #expect(settings.overLimitPolicy == .serveUnprofiled)
        #expect(settings.maximumDuration == .seconds(30))
    }

    @Test func readsEveryVariable() throws {
        let settings = try ProfilingSettings(environment: [
            "PROFILING_ENABLED": "yes",
            "PROFILING_INTERVAL": "250us",
            "PROFILING_FORMAT": "Speedscope",
            "PROFILING_OUTPUT_DIR": "/tmp/profiles",
            "PROFILING_PRINT": "1",
            "PROFILING_TOKEN": "s3cret",
            "PROFILING_MAX_CONCURRENT": "3",
            "PROFILING_OVER_LIMIT": "reject",
            "PROFILING_MAX_DURATION": "5s",
        ])
        #expect(settings.isEnabled)
        #expect(settings.interval == .microseconds(250))
        #expect(settings.defaultFormat == .speedscope)
        #expect(settings.outputDirectory == "/tmp/profiles")
        #expect(settings.printsReports)
        #expect(settings.token == "s3cret")
        #expect(settings.maximumConcurrentProfiles == 3)
        #expect(settings.overLimitPolicy == .reject)
        #expect(settings.maximumDuration == .seconds(5))
    }

    @Test func emptyValuesKeepDefaults() throws {
        let settings = try ProfilingSettings(environment: ["PROFILING_ENABLED": "", "PROFILING_INTERVAL": "  "])
        #expect(settings.isEnabled == false)
        #expect(settings.interval == ProfilingSettings().interval)
        #expect(settings.token == nil)
    }

    /// A token set but blank (a secret that was not filled in) would leave open what it
    /// guards: refused, naming the variable.
    @Test(arguments: ["PROFILING_TOKEN", "PROFILING_DASHBOARD_TOKEN"], ["", " ", "\t"])
    func aBlankTokenIsRefused(variable: String, value: String) {
        #expect {
            _ = try ProfilingSettings(environment: [variable: value, "PROFILING_DASHBOARD": "/_p"])
        } throws: { error in
            (error as? ProfilingSettingsError)?.name == variable
        }
    }

    @Test(arguments: [
        ("PROFILING_ENABLED", "maybe", "one of 1, 0, true"),
        ("PROFILING_INTERVAL", "fast", "a positive duration"),
        ("PROFILING_INTERVAL", "5s", "between 100us and 100ms"),
        ("PROFILING_INTERVAL", "10us", "between 100us and 100ms"),
        ("PROFILING_FORMAT", "pdf", "html, text, json, speedscope, collapsed, pprof"),
        ("PROFILING_MAX_CONCURRENT", "0", "from 1 to 32"),
        ("PROFILING_MAX_CONCURRENT", "33", "from 1 to 32"),
        ("PROFILING_OVER_LIMIT", "drop", "serve or reject"),
        ("PROFILING_MAX_DURATION", "-3s", "a positive duration"),
        ("PROFILING_MAX_DURATION", "2h", "a positive duration"),
        ("PROFILING_MAX_DURATION", "7200s", "at most 3600s"),
    ])
    func badValuesNameTheVariable(variable: String, value: String, hint: String) {
        #expect {
            try ProfilingSettings(environment: [variable: value])
        } throws: { error in
            let description = String(describing: error)
            return description.contains(variable) && description.contains(value) && description.contains(hint)
        }
    }

    @Test(arguments: [
        ("1", Duration.milliseconds(1)), ("0.5ms", .microseconds(500)), ("100us", .microseconds(100)),
        ("2ms", .milliseconds(2)), ("100000ns", .microseconds(100)), ("0.1", .microseconds(100)),
    ])
    func intervalSpellings(text: String, expected: Duration) throws {
        #expect(try SettingParser.interval(text, name: "x") == expected)
    }
}
