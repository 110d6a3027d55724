import Foundation
import ProfilingScenarios
import RequestProfiler
import ReportTestSupport
import Testing
@testable import RequestProfilerHTTP

/// Thousands of random and hostile inputs (seeded: a failure's input comes back on the next
/// run) through everything a request controls, from the parsers up to the core with the real
/// sampler: every input is accepted or refused with a clear error, never a crash, a 5xx or a
/// file outside the reports folder.
@Suite("Fuzz: hostile input through the parsers and the core")
struct HostileInputFuzzTests {
    @Test func parsersAcceptOrRefuseEveryInput() throws {
        var input = HostileInput(seed: 0x5EED_0001)
        let intervalRange = Profiler.Configuration.intervalRange
        for _ in 0..<5_000 {
            let text = input.value()
            if let duration = try? SettingParser.duration(text, name: "d") { #expect(duration > .zero, "\(text.debugDescription)") }
            if let interval = try? SettingParser.interval(text, name: "i") { #expect(intervalRange.contains(interval)) }
            if let limit = try? SettingParser.maximumDuration(text, name: "m") { #expect(limit > .zero && limit <= .seconds(3600)) }
            if let count = try? SettingParser.positiveInteger(text, name: "n") { #expect(count >= 1) }
            if let format = try? SettingParser.format(text, name: "f") { #expect(format.rawValue == text.lowercased()) }
            do {
                _ = try SettingParser.interval(text, name: "profile_interval")
            } catch let error as ProfilingSettingsError {
                #expect(error.name == "profile_interval" && error.value == text)
            }
            let query = QueryString(input.query())
            for name in HostileInput.parameterNames { _ = query[name] }
        }
    }

    /// Found by ``parsersAcceptOrRefuseEveryInput()``: `1e-300s` is above zero but rounds to a
    /// zero duration, which the settings accepted and the engine then refused at every request.
    @Test(arguments: ["1e-300s", "0.0000000001ms", "0.4ns", "1e-10"])
    func durationsThatRoundToZeroAreRefused(text: String) throws {
        #expect(throws: ProfilingSettingsError.self) { try ProfilingSettings(environment: ["PROFILING_MAX_DURATION": text]) }
        #expect(throws: ProfilingSettingsError.self) { try SettingParser.duration(text, name: "d") }
        #expect(try SettingParser.duration("0.6ns", name: "d") == .nanoseconds(1))
    }

    @Test func environmentSettingsAreValidOrANamedError() {
        var input = HostileInput(seed: 0x5EED_0002)
        let keys = [
            "PROFILING_ENABLED", "PROFILING_INTERVAL", "PROFILING_FORMAT", "PROFILING_OUTPUT_DIR", "PROFILING_PRINT",
            "PROFILING_TOKEN", "PROFILING_MAX_CONCURRENT", "PROFILING_OVER_LIMIT", "PROFILING_MAX_DURATION",
        ]
        for _ in 0..<5_000 {
            var environment: [String: String] = [:]
            for key in keys where input.chance(40) { environment[key] = input.value() }
            do {
                let settings = try ProfilingSettings(environment: environment)
                #expect(Profiler.Configuration.intervalRange.contains(settings.interval))
                #expect(settings.maximumConcurrentProfiles >= 1)
                #expect(settings.maximumDuration > .zero && settings.maximumDuration <= .seconds(3600))
                // The settings are usable as they are: the engine accepts them.
                #expect(throws: Never.self) {
                    try Profiler.Configuration(interval: settings.interval, maximumDuration: settings.maximumDuration).validate()
                }
            } catch let error as ProfilingSettingsError {
                #expect(keys.contains(error.name))
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    /// Whatever bytes a value holds, encoding it and looking it up gives it back.
    @Test func queryStringDecodesWhatWasEncoded() {
        var input = HostileInput(seed: 0x5EED_0003)
        for _ in 0..<5_000 {
            let value = input.value()
            let other = input.value()
            let raw = "x=\(HostileInput.percentEncoded(other))&profile_format=\(HostileInput.percentEncoded(value))&profile_format=y"
            #expect(QueryString(raw)["profile_format"] == value, "\(raw.prefix(200))")
            #expect(QueryString(raw)["x"] == other)
        }
    }

    @Test func reportFileNamesArePlainNamesWhateverTheRequest() {
        var input = HostileInput(seed: 0x5EED_0004)
        for _ in 0..<5_000 {
            let name = ReportFileName.make(
                startTime: Double(Int.random(in: -1...4_000_000_000, using: &input)),
                method: input.freeText(), route: input.chance(90) ? input.freeText() : nil,
                durationNanoseconds: UInt64.random(in: 0...UInt64.max, using: &input),
                fileExtension: input.chance(80) ? input.pick(ProfileFormat.allCases).fileExtension : input.freeText())
            #expect(Self.isReportFileName(name), "\(name.debugDescription)")
            #expect(ReportWriter.isPlainFileName(name))
        }
    }

    /// Found by scripts/fuzz.sh: an extension of many dotted parts made a name longer than a
    /// file system accepts (NAME_MAX, 255 bytes).
    @Test func longExtensionsAreCut() {
        let name = ReportFileName.make(
            startTime: 0, method: "GET", route: "/" + String(repeating: "r", count: 500), durationNanoseconds: .max,
            fileExtension: String(repeating: "abcdefghijklmnop.", count: 40))
        #expect(name.utf8.count < 200)
        #expect(name.hasSuffix(".abcdefghijklmnop.abcdefghijklmno"))
        #expect(Self.isReportFileName(name))
    }

    /// The core, with the real sampler, over thousands of hostile requests: query, token header,
    /// method, path and route all chosen by the "client".
    @Test(arguments: [nil, "s3cret-token"])
    func hostileRequestsGet200Or4xxAndWriteOnlyIntoTheReportsFolder(token: String?) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rp-fuzz-\(UUID().uuidString)").path
        let reports = root + "/a/b/reports"
        try FileManager.default.createDirectory(atPath: root + "/a/b", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = LogCapture()
        let core = RequestProfilingCore(
            settings: ProfilingSettings(isEnabled: true, outputDirectory: reports, token: token), logger: log.logger)
        var input = HostileInput(seed: token == nil ? 0x5EED_0005 : 0x5EED_0006)
        var saved: Set<String> = []
        var statuses: [Int: Int] = [:]
        for index in 0..<1_000 {
            let query = input.query()
            let givenToken: String? = token.flatMap { input.chance(50) ? $0 : input.freeText() }
            let method = input.chance(80) ? "GET" : input.freeText()
            let path = "/" + input.path()
            let route = input.chance(80) ? "/" + input.path() : nil
            var calls = 0
            let outcome = try await core.handle(
                rawQuery: query, header: { $0 == ProfilingParameter.tokenHeader ? givenToken : nil },
                method: method, path: path, route: { route }, status: { _ in 200 },
                next: { calls += 1; return index })
            #expect(calls <= 1)
            #expect(core.trigger.limiter.inFlight == 0)
            switch outcome {
            case .original(let result, let headers):
                #expect(calls == 1)
                #expect(try result.get() == index)
                statuses[200, default: 0] += 1
                if let name = headers.first(where: { $0.name == ProfilingParameter.reportHeader })?.value {
                    saved.insert(name)
                }
                #expect(headers.allSatisfy { !$0.value.contains("\r") && !$0.value.contains("\n") })
            case .replaced(let response):
                statuses[response.status, default: 0] += 1
                #expect(response.status == 200 || (400...499).contains(response.status), "\(query.prefix(300))")
                #expect(response.headers.contains { $0.name == "Content-Type" })
            }
        }
        // Every file is a report directly inside the reports folder; nothing beside it or above it.
        let tree = try FileManager.default.subpathsOfDirectory(atPath: root).sorted()
        let files = Set(tree.filter { $0.hasPrefix("a/b/reports/") }.map { String($0.dropFirst("a/b/reports/".count)) })
        #expect(tree.filter { !$0.hasPrefix("a/b/reports/") } == ["a", "a/b", "a/b/reports"])
        #expect(files == saved)
        #expect(files.allSatisfy { Self.isReportFileName($0) && !$0.contains("/") })
        // The mix reached every branch: reports saved, and refusals.
        #expect(saved.count > 50)
        #expect(statuses[400, default: 0] > 50)
        if token != nil { #expect(statuses[403, default: 0] > 50) }
        #expect(statuses.keys.allSatisfy { $0 < 500 })
    }

    /// `<timestamp>-<METHOD>-<route>-<n>ms[-k].<ext>`, from `[A-Za-z0-9_-]` parts.
    static func isReportFileName(_ name: String) -> Bool {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
        return !name.isEmpty && name.count < 200 && !name.hasPrefix(".") && !name.contains("..")
            && name.allSatisfy { allowed.contains($0) }
    }
}
