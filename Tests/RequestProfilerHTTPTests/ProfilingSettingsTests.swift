import Foundation
import ReportTestSupport
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
        #expect(settings.reportsKeepFree == DiskReserve(fraction: 0.05, bytes: 1_000_000_000))
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
            "PROFILING_OUTPUT_KEEP_FREE": "10%",
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
        #expect(settings.reportsKeepFree == DiskReserve(fraction: 0.1))
    }

    /// A misspelt variable left the default in place without a word.
    @Test func variablesThatAreNoSettingAreNamedWithTheNearestSetting() throws {
        let settings = try ProfilingSettings(environment: [
            "PROFILING_ENABLE": "1", "PROFILING_MAX_CONCURENT": "4", "PROFILING_SOMETHING_ELSE_ENTIRELY": "x",
            "PROFILING_ENABLED": "1", "PROFILING_METRICS": "1", "PATH": "/usr/bin", "XPROFILING_ENABLE": "1",
        ])
        #expect(settings.isEnabled && settings.metrics.isEnabled)
        #expect(settings.unrecognizedSettings.map(\.variable) == ["PROFILING_ENABLE", "PROFILING_MAX_CONCURENT", "PROFILING_SOMETHING_ELSE_ENTIRELY"])
        #expect(settings.unrecognizedSettings.map(\.suggestion) == ["PROFILING_ENABLED", "PROFILING_MAX_CONCURRENT", nil])
        #expect(settings.unrecognizedSettings[0].description == "PROFILING_ENABLE is not a setting of the request profiler (did you mean PROFILING_ENABLED?); it is ignored")

        let log = LogCapture()
        _ = RequestProfilingCore(settings: settings, logger: log.logger)
        #expect(log.messages.contains { $0.hasPrefix("warning: ") && $0.contains("PROFILING_MAX_CONCURENT is not a setting") })

        // Short names far from any setting get no guess; Kubernetes' links for a Service
        // named `profiling` are not settings at all.
        for far in ["PROFILING_ON", "PROFILING_PORT_NUMBER", "PROFILING_X"] {
            #expect(UnrecognizedSetting.nearestKnown(to: far) == nil, "\(far)")
        }
        let kubernetes = try ProfilingSettings(environment: [
            "PROFILING_SERVICE_HOST": "10.0.0.7", "PROFILING_SERVICE_PORT": "4040", "PROFILING_SERVICE_PORT_HTTP": "4040",
            "PROFILING_PORT": "tcp://10.0.0.7:4040", "PROFILING_PORT_4040_TCP": "tcp://10.0.0.7:4040",
            "PROFILING_PORT_4040_TCP_ADDR": "10.0.0.7", "PROFILING_PORT_4040_TCP_PORT": "4040", "PROFILING_PORT_4040_TCP_PROTO": "tcp",
        ])
        #expect(kubernetes.unrecognizedSettings.isEmpty, "\(kubernetes.unrecognizedSettings)")
    }

    /// Every variable README's settings tables list is one the settings read: none of them
    /// may be reported as unrecognized.
    @Test func everyVariableReadmeListsIsRecognized() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let listed = Set(text.matches(of: /^\| `(PROFILING_[A-Z_]+)`/.anchorsMatchLineEndings()).map { String($0.1) })
        #expect(listed.count >= 20, "README's settings table was not found: \(listed)")
        #expect(listed.subtracting(UnrecognizedSetting.knownVariables).isEmpty)
        #expect(UnrecognizedSetting.knownVariables.subtracting(listed).isEmpty, "settings README does not list")
    }

    @Test func emptyValuesKeepDefaults() throws {
        let settings = try ProfilingSettings(environment: ["PROFILING_ENABLED": "", "PROFILING_INTERVAL": "  "])
        #expect(settings.isEnabled == false)
        #expect(settings.interval == ProfilingSettings().interval)
        #expect(settings.token == nil)
    }

    /// A token set but blank (a secret that was not filled in) would leave open what it
    /// guards: refused, naming the variable.
    @Test(arguments: ["PROFILING_TOKEN", "PROFILING_DASHBOARD_TOKEN"], ["", " ", "\t", "\r\n", " \r\n"])
    func aBlankTokenIsRefused(variable: String, value: String) {
        #expect {
            _ = try ProfilingSettings(environment: [variable: value, "PROFILING_DASHBOARD": "/_p"])
        } throws: { error in
            (error as? ProfilingSettingsError)?.name == variable
        }
    }

    /// A secret read from a file written with CRLF line ends: "\r\n" is one Swift Character,
    /// and was kept, a token no request could present.
    @Test func aTokenLosesItsCRLFLineEnd() throws {
        let settings = try ProfilingSettings(environment: [
            "PROFILING_TOKEN": "s3cret\r\n", "PROFILING_DASHBOARD": "/_p", "PROFILING_DASHBOARD_TOKEN": "\r\nd4sh\r\n",
        ])
        #expect(settings.token == "s3cret")
        #expect(settings.dashboard.token == "d4sh")
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
        // Shorter than one interval: every report would stop before its first sample.
        ("PROFILING_MAX_DURATION", "1us", "at least the sampling interval"),
        ("PROFILING_MAX_DURATION", "500us", "at least the sampling interval"),
        ("PROFILING_OUTPUT_KEEP_FREE", "lots", "a share of the disk such as 5%"),
        ("PROFILING_OUTPUT_KEEP_FREE", "150%", "a share of the disk such as 5%"),
        ("PROFILING_OUTPUT_KEEP_FREE", "-1GB", "a size such as 500MB"),
        ("PROFILING_OUTPUT_KEEP_FREE", "5XB", "a size such as 500MB"),
        ("PROFILING_OUTPUT_KEEP_FREE", "1e30", "or 0 for none"),
        // Only 0 turns the check off: values that round to it are typos.
        ("PROFILING_OUTPUT_KEEP_FREE", "0.4", "or 0 for none"),
        ("PROFILING_OUTPUT_KEEP_FREE", "0.49B", "or 0 for none"),
        ("PROFILING_OUTPUT_KEEP_FREE", "1e-400%", "or 0 for none"),
        ("PROFILING_OUTPUT_KEEP_FREE", "1e-300%", "or 0 for none"),
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

    @Test(arguments: [
        ("5%", DiskReserve(fraction: 0.05)), ("0.5 %", DiskReserve(fraction: 0.005)), ("512MB", DiskReserve(bytes: 512_000_000)),
        ("1.5gb", DiskReserve(bytes: 1_500_000_000)), ("4096", DiskReserve(bytes: 4096)), ("64 KB", DiskReserve(bytes: 64_000)),
        ("0", DiskReserve.none), ("0%", DiskReserve.none), ("0GB", DiskReserve.none), ("0.0", DiskReserve.none), ("00 %", DiskReserve.none),
        (".0", DiskReserve.none), ("0e0", DiskReserve.none), ("+0", DiskReserve.none), ("0 GB", DiskReserve.none),
    ])
    func diskReserveSpellings(text: String, expected: DiskReserve) throws {
        #expect(try SettingParser.diskReserve(text, name: "x") == expected)
    }

    /// An interval or maximum duration set in code is not parsed: out of range it is brought
    /// into range (logged), as the concurrency limit is. Before, every `?profile=1` request
    /// failed with an error that named no setting.
    @Test func samplingSetInCodeIsBroughtIntoRange() async throws {
        let (settings, changes) = ProfilingSettings(isEnabled: true, interval: .nanoseconds(1), maximumDuration: .zero).withCodeValuesInRange()
        #expect(settings.interval == .microseconds(100))
        #expect(settings.maximumDuration == .microseconds(100), "at least one interval: else no sample")
        #expect(changes.count == 2 && changes[0].contains("sampling interval"), "\(changes)")
        #expect(ProfilingSettings(isEnabled: true, interval: .seconds(5)).withCodeValuesInRange().settings.interval == .milliseconds(100))
        #expect(ProfilingSettings(isEnabled: true).withCodeValuesInRange().changes.isEmpty)
        let short = ProfilingSettings(isEnabled: true, interval: .milliseconds(5), maximumDuration: .milliseconds(2)).withCodeValuesInRange()
        #expect(short.settings.maximumDuration == .milliseconds(5) && short.changes.count == 1, "\(short.changes)")
        // A blank reports folder is unset, as the environment's empty value is.
        let blank = ProfilingSettings(isEnabled: true, outputDirectory: " ").withCodeValuesInRange()
        #expect(blank.settings.outputDirectory == nil && blank.changes.count == 1 && blank.changes[0].contains("blank"), "\(blank.changes)")
        #expect(ProfilingSettings(isEnabled: true, outputDirectory: "/srv/reports").withCodeValuesInRange().settings.outputDirectory == "/srv/reports")
        #expect(RequestProfilingCore(settings: ProfilingSettings(isEnabled: true, outputDirectory: "")).settings.outputDirectory == nil)

        let core = RequestProfilingCore(settings: ProfilingSettings(isEnabled: true, interval: .nanoseconds(1)))
        let profiled = try await CoreRequest(path: "/work", query: "profile=1&profile_format=json").response(from: core) { "done" }
        #expect(profiled.status == 200)
        #expect(profiled.header("Content-Type")?.hasPrefix("application/json") == true, "a report, not the handler's answer: \(profiled.text.prefix(200))")
    }

    /// Values made in code that the parts they go to take as others are said at start: a
    /// `rotateBytes: 0` meant as "never" rotated the JSONL file with every batch, silently.
    @Test func valuesSetInCodeThatAreTakenOtherwiseAreLogged() async throws {
        let events = try ScratchDirectory("settings-code-values")
        defer { events.remove() }
        var settings = ProfilingSettings(
            maximumConcurrentProfiles: 0,
            metrics: MetricsSettings(isEnabled: true, sampleRate: .nan, directory: events.path, rotateBytes: 0, keepFiles: -1),
            autoCapture: AutoCaptureSettings(rate: 2, keepPerRoute: 0))
        settings.outputDirectory = events.path
        #expect(settings.valuesTakenOtherwise() == [
            "maximumConcurrentProfiles 0 is outside 1 to 32; 1 is used",
            "metrics.sampleRate nan is outside 0 to 1; 0.0 is used",
            "metrics.rotateBytes 0 is below 1; 1 is used (a new JSONL file for every batch of events)",
            "metrics.keepFiles -1 is below 0; 0 is used (every rotated file is kept)",
            "autoCapture.rate 2.0 is outside 0 to 1; 1.0 is used",
            "autoCapture.keepPerRoute 0 is below 1; 1 is used (one automatic report per route)",
        ])
        let log = LogCapture()
        let core = RequestProfilingCore(settings: settings, logger: log.logger)
        #expect(log.messages.contains("warning: request profiler: metrics.rotateBytes 0 is below 1; 1 is used (a new JSONL file for every batch of events)"), "\(log.messages)")
        await core.shutdown()
        #expect(ProfilingSettings(autoCapture: AutoCaptureSettings(rate: -0.5)).valuesTakenOtherwise() == [
            "autoCapture.rate -0.5 is outside 0 to 1; 0.0 is used",
        ])
        #expect(ProfilingSettings(metrics: MetricsSettings(isEnabled: true, directory: "/tmp/x")).valuesTakenOtherwise().isEmpty)
        #expect(try ProfilingSettings(environment: ["PROFILING_METRICS": "1", "PROFILING_AUTO_RATE": "0.5"]).valuesTakenOtherwise().isEmpty)
    }

    /// A release without a slot taken (a caller's mistake) must not open an extra slot.
    @Test func anUnbalancedReleaseOpensNoExtraSlot() {
        let limiter = ConcurrencyLimiter(limit: 1)
        limiter.release()
        #expect(limiter.inFlight == 0)
        #expect(limiter.tryAcquire())
        #expect(!limiter.tryAcquire())
        limiter.release()
        #expect(limiter.inFlight == 0)
    }

    /// The default keeps 5% free on a small disk and 1 GB on a large one.
    @Test func theStandardReserveIsFivePercentAtMostOneGigabyte() {
        #expect(DiskReserve.standard.bytesToKeepFree(onFileSystemOf: 10_000_000_000) == 500_000_000)
        #expect(DiskReserve.standard.bytesToKeepFree(onFileSystemOf: 2_000_000_000_000) == 1_000_000_000)
        #expect(DiskReserve(fraction: 0.1).bytesToKeepFree(onFileSystemOf: 2_000_000_000_000) == 200_000_000_000)
        #expect(DiskReserve(fraction: 1).bytesToKeepFree(onFileSystemOf: .max) > 1 << 60)
        #expect(DiskReserve.none.bytesToKeepFree(onFileSystemOf: 1_000) == 0)
        #expect(DiskReserve.standard.description == "5% of the file system, at most 1 GB")
    }
}
