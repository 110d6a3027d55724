import Foundation
import Synchronization
import ProfileModel
import ProfileReports
import ReportTestSupport
import RequestMetrics
import RequestProfiler
import Testing
@testable import RequestProfilerHTTP

/// Auto-capture with the real sampler: which reports are kept, how many, and that a full
/// limiter never holds a request up. Serialized: the handlers burn CPU to be measured.
@Suite("Auto-capture", .serialized)
struct AutoCaptureTests {
    private func settings(
        reports: String, rate: Double = 1, slowerThan: Duration? = .milliseconds(25), keep: Int = 20,
        maximumConcurrent: Int = 2, metricsDirectory: String? = nil, seed: UInt64 = 7
    ) -> ProfilingSettings {
        ProfilingSettings(
            outputDirectory: reports, maximumConcurrentProfiles: maximumConcurrent,
            metrics: MetricsSettings(isEnabled: metricsDirectory != nil, directory: metricsDirectory),
            autoCapture: AutoCaptureSettings(rate: rate, slowerThan: slowerThan, keepPerRoute: keep),
            random: .seeded(seed))
    }

    /// Kept reports are saved in the background, after their responses: wait for them.
    private func saved(_ core: RequestProfilingCore) async -> [CapturedProfile] {
        await core.autoCapture?.saves.waitUntilIdle()
        return core.profiles.all
    }

    @Test func keepsTheSlowRequestsAndDropsTheFastOnes() async throws {
        let reports = try ScratchDirectory("auto-keep")
        let events = try ScratchDirectory("auto-events")
        defer { reports.remove(); events.remove() }
        let core = RequestProfilingCore(settings: settings(reports: reports.path, metricsDirectory: events.path))
        for _ in 0..<3 {
            let fast = try await CoreRequest(path: "/fast").response(from: core) { "fast" }
            #expect(fast.text == "fast" && fast.header(ProfilingParameter.reportHeader) == nil)
            let slow = try await CoreRequest(path: "/slow").response(from: core) { "slow \(busy(for: .milliseconds(60)))" }
            #expect(slow.text.hasPrefix("slow") && slow.status == 200)
        }
        let kept = await saved(core)
        #expect(kept.count == 3)
        #expect(kept.allSatisfy { $0.route == "/slow" && $0.trigger == .auto && $0.durationNanoseconds > 25_000_000 })
        #expect(reports.files() == kept.map(\.file).sorted())
        #expect(kept.allSatisfy { $0.file.hasSuffix(".json") })
        // The name shows the duration profiles.json lists (the handler's), not the profile's.
        #expect(kept.allSatisfy { $0.file.hasSuffix("-\($0.durationNanoseconds / 1_000_000)ms.json") }, "\(kept.map(\.file))")
        let report = try String(contentsOfFile: reports.path + "/" + kept[0].file, encoding: .utf8)
        #expect(report.contains("busy"), "the saved json report holds the handler's frames")

        // The REQ event of each kept request names its report.
        await core.shutdown()
        let lines = try events.files().flatMap { name in
            try String(contentsOfFile: events.path + "/" + name, encoding: .utf8).split(separator: "\n")
        }
        for profile in kept {
            #expect(lines.contains { $0.contains("\"kind\":\"REQ\"") && $0.contains("\"profile\":\"\(profile.file)\"") }, "\(profile.file)")
        }
        #expect(!lines.contains { $0.contains("/fast") && $0.contains("\"profile\"") })
    }

    @Test func seededRateIsReproducible() async throws {
        func pickedCount(seed: UInt64) async throws -> Int {
            let reports = try ScratchDirectory("auto-seed")
            defer { reports.remove() }
            let core = RequestProfilingCore(settings: settings(reports: reports.path, rate: 0.4, slowerThan: .nanoseconds(1), seed: seed))
            for _ in 0..<15 {
                _ = try await CoreRequest(path: "/work").response(from: core) { "\(busy(for: .milliseconds(2)))" }
                _ = await saved(core)
            }
            return await saved(core).count
        }
        let first = try await pickedCount(seed: 11)
        #expect(first > 0 && first < 15, "rate 0.4 picked \(first) of 15")
        #expect(try await pickedCount(seed: 11) == first)
    }

    @Test func withoutAThresholdTheRoutesP95DecidesOnceItHas20Requests() async throws {
        let reports = try ScratchDirectory("auto-p95")
        defer { reports.remove() }
        let core = RequestProfilingCore(settings: settings(reports: reports.path, slowerThan: nil))
        // A slow request before the route has 20 requests is not kept: its p95 means nothing yet.
        _ = try await CoreRequest(path: "/users/0").response(from: core) { "\(busy(for: .milliseconds(60)))" }
        for id in 1..<20 { _ = try await CoreRequest(path: "/users/\(id)").response(from: core) { "\(busy(for: .milliseconds(2)))" } }
        #expect(await saved(core).isEmpty)
        // Clearly faster than the nineteen 2 ms ones (a 2 ms one stalled by the machine came out
        // as the slowest of them, above the p95, and was kept).
        _ = try await CoreRequest(path: "/users/20").response(from: core) { "fast" }
        _ = try await CoreRequest(path: "/users/21").response(from: core) { "\(busy(for: .milliseconds(80)))" }
        let kept = await saved(core)
        #expect(kept.count == 1)
        #expect(kept.first?.route == "/users/:id")
        #expect((kept.first?.durationNanoseconds ?? 0) > 60_000_000)
    }

    @Test func keepsAtMostNPerRouteDeletingTheOldestFirst() async throws {
        let reports = try ScratchDirectory("auto-cap")
        defer { reports.remove() }
        let core = RequestProfilingCore(settings: settings(reports: reports.path, slowerThan: .nanoseconds(1), keep: 3))
        var files: [String] = []
        for _ in 0..<5 {
            _ = try await CoreRequest(path: "/work").response(from: core) { "\(busy(for: .milliseconds(3)))" }
            files.append(try #require(await saved(core).last?.file))
        }
        _ = try await CoreRequest(path: "/other").response(from: core) { "\(busy(for: .milliseconds(3)))" }
        _ = await saved(core)
        let work = core.profiles.all.filter { $0.route == "/work" }.map(\.file)
        #expect(work == Array(files.suffix(3)))
        #expect(Set(reports.files()) == Set(work + core.profiles.all.filter { $0.route == "/other" }.map(\.file)))
        #expect(!reports.files().contains(files[0]) && !reports.files().contains(files[1]))
    }

    /// Automatic reports that fall off the full list of saved reports are deleted too, however
    /// many routes there are: the folder never holds more automatic reports than the list.
    @Test func automaticReportsOffTheFullListAreDeleted() throws {
        let reports = try ScratchDirectory("auto-capacity")
        defer { reports.remove() }
        let registry = CapturedProfileRegistry(capacity: 3)
        let autoCapture = AutoCapture(
            settings: AutoCaptureSettings(rate: 1, slowerThan: .nanoseconds(1), keepPerRoute: 20), directory: reports.path,
            random: SeededRandomSource(seed: 1), limiter: ConcurrencyLimiter(limit: 1), registry: registry,
            logger: .init(label: "test"), samplingInterval: .milliseconds(1), maximumDuration: .seconds(1))
        var files: [String] = []
        for number in 0..<6 {
            var profile = Profile.synthetic(samples: 20, depth: 4, seed: UInt64(number))
            profile.metadata.startTime += Double(number)  // a name of its own (the start is in it)
            files.append(try #require(autoCapture.save(
                profile, durationNanoseconds: 5_000_000, method: "GET",
                route: "/route\(number)", status: 200, timestampNanoseconds: UInt64(number))))
        }
        #expect(Set(files).count == 6)
        #expect(registry.all.map(\.file) == Array(files.suffix(3)))
        #expect(reports.files() == files.suffix(3).sorted())
    }

    /// Automatic reports obey the disk reserve too: a slow request on a nearly full disk is
    /// served, and nothing is saved or listed.
    @Test func automaticReportsAreNotSavedOnANearlyFullDisk() async throws {
        let reports = try ScratchDirectory("auto-full-disk")
        defer { reports.remove() }
        var settings = settings(reports: reports.path, slowerThan: .nanoseconds(1))
        settings.reportsKeepFree = DiskReserve(bytes: UInt64.max / 4)
        let core = RequestProfilingCore(settings: settings)
        let slow = try await CoreRequest(path: "/slow").response(from: core) { "slow \(busy(for: .milliseconds(5)))" }
        #expect(slow.status == 200 && slow.text.hasPrefix("slow"))
        #expect(await saved(core).isEmpty)
        #expect(reports.files().isEmpty)
        await core.shutdown()
    }

    @Test func aRestartKeepsCountingAndListingTheEarlierRunsReports() async throws {
        let reports = try ScratchDirectory("auto-restart")
        defer { reports.remove() }
        let first = RequestProfilingCore(settings: settings(reports: reports.path, slowerThan: .nanoseconds(1), keep: 3))
        for _ in 0..<2 { _ = try await CoreRequest(path: "/work").response(from: first) { "\(busy(for: .milliseconds(3)))" } }
        let earlier = await saved(first).map(\.file)
        await first.shutdown()
        #expect(earlier.count == 2)

        // The next run lists them, and its own reports count against the same cap of 3.
        let second = RequestProfilingCore(settings: settings(reports: reports.path, slowerThan: .nanoseconds(1), keep: 3))
        #expect(second.profiles.all.map(\.file) == earlier)
        for _ in 0..<2 { _ = try await CoreRequest(path: "/work").response(from: second) { "\(busy(for: .milliseconds(3)))" } }
        let kept = await saved(second).map(\.file)
        #expect(kept.count == 3 && kept.first == earlier[1], "the earlier run's oldest went first")
        #expect(reports.files() == kept.sorted(), "no report left behind in the folder")

        // A run with a smaller cap trims the earlier runs' reports when it starts.
        let third = RequestProfilingCore(settings: settings(reports: reports.path, slowerThan: .nanoseconds(1), keep: 1))
        #expect(third.profiles.all.map(\.file) == [kept[2]])
        #expect(reports.files() == [kept[2]])
    }

    /// A folder that cannot take reports (a file stands in its place) costs one logged error,
    /// not one per slow request, and auto-capture rests instead of sampling and building
    /// reports it cannot keep. Every request is served.
    @Test func anUnwritableFolderIsSaidOnceAndAutoCaptureRests() async throws {
        let scratch = try ScratchDirectory("auto-unwritable")
        defer { scratch.remove() }
        let blocked = scratch.path + "/not-a-folder"
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocked))
        let log = LogCapture()
        let core = RequestProfilingCore(settings: settings(reports: blocked, slowerThan: .nanoseconds(1)), logger: log.logger)
        for _ in 0..<4 {
            let response = try await CoreRequest(path: "/slow").response(from: core) { "slow \(busy(for: .milliseconds(2)))" }
            #expect(response.status == 200 && response.text.hasPrefix("slow"))
            await core.autoCapture?.saves.waitUntilIdle()
        }
        #expect(log.messages.filter { $0.contains("could not save an automatic report") }.count == 1)
        let autoCapture = try #require(core.autoCapture)
        #expect(!autoCapture.begin(), "resting after the failed save")
        await core.shutdown()
    }

    /// With Pyroscope (here: told so) a profile that cannot be saved is still sent, so
    /// auto-capture does not rest; its errors are still said once a minute at most.
    @Test func failedSavesAreSaidOnceAMinuteAlsoWhenAutoCaptureGoesOn() throws {
        let scratch = try ScratchDirectory("auto-unwritable-on")
        defer { scratch.remove() }
        let blocked = scratch.path + "/not-a-folder"
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocked))
        let log = LogCapture()
        let autoCapture = AutoCapture(
            settings: AutoCaptureSettings(rate: 1, slowerThan: .nanoseconds(1)), directory: blocked,
            random: SeededRandomSource(seed: 1), limiter: ConcurrencyLimiter(limit: 1), registry: CapturedProfileRegistry(),
            logger: log.logger, samplingInterval: .milliseconds(1), maximumDuration: .seconds(1), pausesAfterFailedSave: false)
        for number in 0..<5 {
            #expect(autoCapture.save(
                Profile.synthetic(samples: 10, depth: 3, seed: UInt64(number)), durationNanoseconds: 5_000_000, method: "GET",
                route: "/r", status: 200, timestampNanoseconds: 1) == nil)
        }
        #expect(log.messages.filter { $0.contains("could not save an automatic report") }.count == 1)
        #expect(autoCapture.begin())
        autoCapture.finished()
    }

    /// The index names the files the per-route cap deletes; only a report's name is deleted.
    /// An index line naming another file of a shared folder (a hand edit, anyone who can write
    /// there) had that file deleted once the route was over its cap.
    @Test func theCapDeletesNoFileWhoseNameIsNotAReports() async throws {
        let reports = try ScratchDirectory("auto-index-foreign")
        defer { reports.remove() }
        let report = "20261207-120000.000-GET-work-5ms.json"
        for name in ["notes.txt", report] {
            try Data("{}".utf8).write(to: URL(fileURLWithPath: reports.path + "/" + name))
        }
        let index = SavedProfileIndex(directory: reports.path, logger: .init(label: "test"))
        for (number, name) in ["notes.txt", report].enumerated() {
            #expect(index.append(CapturedProfile(
                file: name, method: "GET", route: "/work", status: 200, durationNanoseconds: 5_000_000,
                timestampNanoseconds: UInt64(number), trigger: .auto)))
        }
        let core = RequestProfilingCore(settings: settings(reports: reports.path, slowerThan: .nanoseconds(1), keep: 1))
        #expect(core.profiles.all.map(\.file) == [report])
        #expect(FileManager.default.fileExists(atPath: reports.path + "/notes.txt"))
        await core.shutdown()
    }

    @Test func aFullLimiterNeitherFailsNorHoldsUpARequest() async throws {
        let reports = try ScratchDirectory("auto-full")
        defer { reports.remove() }
        let core = RequestProfilingCore(settings: settings(reports: reports.path, slowerThan: .nanoseconds(1), maximumConcurrent: 1))
        #expect(core.trigger.limiter.tryAcquire(), "a ?profile=1 request holds the only slot")
        for _ in 0..<5 {
            let response = try await CoreRequest(path: "/work").response(from: core) { "served" }
            #expect(response.status == 200 && response.text == "served")
            let failing = try await CoreRequest(path: "/fails").send(to: core) { throw CoreTestError(status: 418) }
            guard case .original(.failure(let error as CoreTestError), _) = failing else {
                Issue.record("the handler's own error must come back unchanged")
                continue
            }
            #expect(error.status == 418)
        }
        #expect(core.profiles.all.isEmpty)
        #expect(reports.files().isEmpty)
        #expect(core.trigger.limiter.inFlight == 1, "auto-capture took no slot and released none it did not take")
        core.trigger.limiter.release()
        _ = try await CoreRequest(path: "/work").response(from: core) { "\(busy(for: .milliseconds(3)))" }
        #expect(await saved(core).count == 1, "with the slot free the request is profiled")
        #expect(core.trigger.limiter.inFlight == 0)
    }

    /// An automatic profile that cannot start (here: every sampler slot of the process taken)
    /// is said in the log once a minute, not at every request it was drawn for.
    @Test func anAutomaticProfileThatCannotStartIsLoggedOnceAMinute() async throws {
        let reports = try ScratchDirectory("auto-nostart")
        defer { reports.remove() }
        var sessions: [ProfilingSession] = []
        for _ in 0..<100 {
            guard let session = try? Profiler().start() else { break }
            sessions.append(session)
        }
        let log = LogCapture()
        let core = RequestProfilingCore(settings: settings(reports: reports.path), logger: log.logger)
        for _ in 0..<30 {
            let response = try await CoreRequest(path: "/work").response(from: core) { "done" }
            #expect(response.text == "done")
        }
        for session in sessions { await session.discard() }
        #expect(sessions.count < 100, "the sampler's slots ran out")
        let warnings = log.messages.filter { $0.contains("could not start an automatic profile") }
        #expect(warnings.count == 1, "\(warnings.count) warnings")
    }

    /// A save stuck (a hung reports folder; here held) holds a graceful shutdown for a while,
    /// not for good: the metrics are still drained.
    @Test(.timeLimit(.minutes(1))) func aShutdownStopsWaitingForASaveThatHangs() async throws {
        let reports = try ScratchDirectory("auto-hung")
        defer { reports.remove() }
        let core = RequestProfilingCore(settings: settings(reports: reports.path))
        let saves = try #require(core.autoCapture?.saves)
        saves.hold()
        _ = try await CoreRequest(path: "/slow").response(from: core) { "slow \(busy(for: .milliseconds(30)))" }
        #expect(saves.pendingCount == 1)
        await core.shutdown(savesWaitingAtMost: .milliseconds(200))
        #expect(saves.pendingCount == 1, "the held save is still there: the shutdown stopped waiting for it")
        saves.release()
        await saves.waitUntilIdle()
    }

    /// A kept profile is built and saved after its response: building a report takes 7 to
    /// 40 ms, which auto-capture must not add to the request. The request's event comes once
    /// the report is saved (so that it names the file), timed as when the response left, and
    /// graceful shutdown waits for it.
    @Test func aKeptProfileIsSavedAfterItsResponse() async throws {
        let reports = try ScratchDirectory("auto-after")
        let events = try ScratchDirectory("auto-after-events")
        defer { reports.remove(); events.remove() }
        let core = RequestProfilingCore(settings: settings(reports: reports.path, metricsDirectory: events.path))
        let saves = try #require(core.autoCapture?.saves)
        saves.hold()
        let answered = AnsweredFlag()
        let sent = ContinuousClock.now
        let request = Task {
            let response = try await CoreRequest(path: "/slow").response(from: core) { "slow \(busy(for: .milliseconds(60)))" }
            answered.set()
            return response
        }
        // The response comes while its report waits; with the report built first, it could not
        // come before `release()`.
        let deadline = ContinuousClock.now + .seconds(20)
        while !answered.isSet && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(answered.isSet, "the response waited for its report to be built")
        if !answered.isSet { saves.release() }
        let slow = try await request.value
        #expect(slow.text.hasPrefix("slow") && slow.status == 200)
        #expect(saves.pendingCount == 1)
        #expect(core.profiles.all.isEmpty && reports.files().isEmpty)
        #expect(core.trigger.limiter.inFlight == 0, "the slot covers the sampling only")
        // In its route's latency at once: a burst of slow requests waiting for their saves
        // must count in the p95 that judges them, and show on the dashboard.
        let latency = try #require(core.metrics?.stats.latency(method: "GET", route: "/slow"))
        #expect(latency.count == 1 && latency.p95Nanoseconds >= 60_000_000)
        try await Task.sleep(for: .seconds(1))
        let heldFor = sent.duration(to: .now)
        saves.release()
        await core.shutdown()
        let kept = try #require(core.profiles.all.first)
        #expect(reports.files() == [kept.file])
        let lines = try events.files().flatMap { name in
            try String(contentsOfFile: events.path + "/" + name, encoding: .utf8).split(separator: "\n")
        }
        let event = try #require(lines.first { $0.contains("\"kind\":\"REQ\"") && $0.contains("\"profile\":\"\(kept.file)\"") })
        let duration = try #require(event.firstMatch(of: /"dur_ns":([0-9]+)/).flatMap { UInt64($0.1) })
        // The save was held a second past the response: timed to the save, it would be longer.
        let held = UInt64(heldFor.components.seconds) * 1_000_000_000 + UInt64(heldFor.components.attoseconds / 1_000_000_000)
        #expect(duration >= 60_000_000 && duration < held - 500_000_000, "timed to its response, not to the saved report: \(duration) ns of \(held)")
        #expect(core.metrics?.stats.latency(method: "GET", route: "/slow")?.count == 1, "counted once, not again with its event")
    }
}

/// Set once, read from another task.
private final class AnsweredFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
