import Foundation
import RequestMetrics
import RequestProfiler
import Synchronization
import Testing
@testable import RequestProfilerHTTP

/// Which requests auto-capture may take, what it leaves to `?profile=1`, and the REQ event of
/// every saved report. Serialized: the handlers burn CPU to be measured.
@Suite("Auto-capture scope", .serialized)
struct AutoCaptureScopeTests {
    private func eventLines(in directory: ScratchDirectory) throws -> [Substring] {
        try directory.files().flatMap { name in
            try String(contentsOfFile: directory.path + "/" + name, encoding: .utf8).split(separator: "\n")
        }
    }

    /// A saved report's REQ event names it, whatever the sample rate drew for its request: at
    /// rate 0, an automatic report and a `?profile=1` report saved to the folder both get one.
    @Test func aSavedReportsRequestIsWrittenWhateverTheSampleRate() async throws {
        let reports = try ScratchDirectory("scope-rate")
        let events = try ScratchDirectory("scope-rate-events")
        defer { reports.remove(); events.remove() }
        let core = RequestProfilingCore(
            settings: ProfilingSettings(
                isEnabled: true, outputDirectory: reports.path,
                metrics: MetricsSettings(isEnabled: true, sampleRate: 0, directory: events.path),
                autoCapture: AutoCaptureSettings(rate: 1, slowerThan: .nanoseconds(1)), random: .seeded(3)))
        _ = try await CoreRequest(path: "/auto").response(from: core) { "\(busy(for: .milliseconds(5)))" }
        let asked = try await CoreRequest(path: "/asked", query: "profile=1&profile_format=json").response(from: core) {
            "\(busy(for: .milliseconds(5)))"
        }
        let askedFile = try #require(asked.header(ProfilingParameter.reportHeader))
        await core.shutdown()
        let automatic = try #require(core.profiles.all.first { $0.trigger == .auto })
        let lines = try eventLines(in: events)
        #expect(lines.contains { $0.contains("\"kind\":\"REQ\"") && $0.contains("\"profile\":\"\(automatic.file)\"") }, "\(lines)")
        #expect(lines.contains { $0.contains("\"kind\":\"REQ\"") && $0.contains("\"profile\":\"\(askedFile)\"") }, "\(lines)")
        #expect(lines.count == 2, "rate 0 writes no other request: \(lines)")
    }

    /// A path excluded from the metrics is not profiled automatically: it has no statistics for
    /// the p95 rule and no event to name a report, and probes like `/health` would take slots.
    @Test func excludedPathsAreNotProfiledAutomatically() async throws {
        let reports = try ScratchDirectory("scope-excluded")
        defer { reports.remove() }
        let core = RequestProfilingCore(
            settings: ProfilingSettings(
                outputDirectory: reports.path,
                metrics: MetricsSettings(isEnabled: true, exclusions: [try PathPattern(parsing: "/health")]),
                autoCapture: AutoCaptureSettings(rate: 1, slowerThan: .nanoseconds(1)), random: .seeded(3)))
        let health = try await CoreRequest(path: "/health").response(from: core) {
            ProfilingSession.current == nil ? "unprofiled" : "profiled"
        }
        #expect(health.text == "unprofiled")
        let other = try await CoreRequest(path: "/other").response(from: core) {
            ProfilingSession.current == nil ? "unprofiled" : "profiled \(busy(for: .milliseconds(3)))"
        }
        #expect(other.text.hasPrefix("profiled"))
        await core.shutdown()
        #expect(core.profiles.all.map(\.route) == ["/other"])
    }

    /// With two slots, automatic profiles take at most one: a picked request that runs long (a
    /// long poll) cannot lock `?profile=1` out.
    @Test func automaticProfilesLeaveASlotToProfileQueries() async throws {
        let reports = try ScratchDirectory("scope-slot")
        defer { reports.remove() }
        let core = RequestProfilingCore(
            settings: ProfilingSettings(
                isEnabled: true, outputDirectory: reports.path, maximumConcurrentProfiles: 2,
                autoCapture: AutoCaptureSettings(rate: 1, slowerThan: .seconds(60)), random: .seeded(3)))
        let gate = Gate()
        let longPoll = Task {
            try await CoreRequest(path: "/poll").response(from: core) {
                let profiled = ProfilingSession.current != nil
                gate.entered()
                while !gate.isOpen { try await Task.sleep(for: .milliseconds(5)) }
                return profiled ? "profiled" : "unprofiled"
            }
        }
        let deadline = ContinuousClock.now + .seconds(20)
        while !gate.hasEntered && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(core.trigger.limiter.inFlight == 1)
        let second = try await CoreRequest(path: "/plain").response(from: core) {
            ProfilingSession.current == nil ? "unprofiled" : "profiled"
        }
        #expect(second.text == "unprofiled", "a second automatic profile would leave no slot to ?profile=1")
        let asked = try await CoreRequest(path: "/asked", query: "profile=1&profile_format=text").response(from: core) {
            "\(busy(for: .milliseconds(3)))"
        }
        #expect(asked.status == 200)
        #expect(asked.header(ProfilingParameter.skippedHeader) == nil, "\(asked.headers)")
        #expect(asked.header(ProfilingParameter.reportHeader) != nil, "the ?profile=1 request got the slot left to it")
        gate.open()
        #expect(try await longPoll.value.text == "profiled")
        #expect(core.trigger.limiter.inFlight == 0)
    }
}

/// A handler that waits until the test lets it go.
private final class Gate: Sendable {
    private let state = Atomic<Int>(0)
    var hasEntered: Bool { state.load(ordering: .acquiring) >= 1 }
    var isOpen: Bool { state.load(ordering: .acquiring) >= 2 }
    func entered() { _ = state.compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing) }
    func open() { state.store(2, ordering: .releasing) }
}
