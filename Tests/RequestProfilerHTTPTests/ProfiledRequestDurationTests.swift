import DedicatedThreads
import Dispatch
import Foundation
import Synchronization
import RequestMetrics
import Testing
@testable import RequestProfilerHTTP

/// A `?profile=1` request is timed as its handler ran: building, rendering and saving its
/// report (tens to hundreds of ms) went into its REQ event's `dur_ns` and the route's
/// percentiles, so one developer's profile made a quiet route look slow for the whole window,
/// and the slow-request rule then kept no automatic report for it.
@Suite("Profiled request duration", .serialized)
struct ProfiledRequestDurationTests {
    /// The report's build is held back by half a second (its thread kept busy from the
    /// handler's end), so the two possible durations lie far apart: timed to the handler, the
    /// request takes its 300 ms; timed to the report, at least 500 ms more.
    @Test(arguments: ["html", "json"])
    func aProfiledRequestIsTimedWithoutItsReport(format: String) async throws {
        let events = try ScratchDirectory("profiled-duration")
        defer { events.remove() }
        let core = RequestProfilingCore(settings: ProfilingSettings(
            isEnabled: true, metrics: MetricsSettings(isEnabled: true, directory: events.path)))
        let hold = ReportBuildHold(for: .milliseconds(500))
        let handlerEnd = Mutex<ContinuousClock.Instant?>(nil)
        let sent = ContinuousClock.now
        let response = try await CoreRequest(path: "/work", query: "profile=1&profile_format=\(format)").response(from: core) {
            let result = "worked \(busy(for: .milliseconds(300)))"
            hold.occupyTheReportThread()
            handlerEnd.withLock { $0 = .now }
            hold.handlerEnded()
            return result
        }
        let answered = ContinuousClock.now
        #expect(response.status == 200)
        await core.shutdown()
        #expect(hold.held, "the report's thread was not held: the test would not tell the two timings apart")

        let lines = try events.files().flatMap { name in
            try String(contentsOfFile: events.path + "/" + name, encoding: .utf8).split(separator: "\n")
        }
        let event = try #require(lines.first { $0.contains("\"kind\":\"REQ\"") && $0.contains("\"route\":\"/work\"") }, "\(lines)")
        let duration = try #require(event.firstMatch(of: /"dur_ns":([0-9]+)/).flatMap { Int64($0.1) })
        let ended = try #require(handlerEnd.withLock { $0 })
        let untilHandlerEnd = Self.nanoseconds(sent.duration(to: ended))
        let untilAnswer = Self.nanoseconds(sent.duration(to: answered))
        let timings = "\(duration) ns; the handler ended \(untilHandlerEnd) ns after the start, the answer came after \(untilAnswer) ns"
        #expect(untilAnswer - untilHandlerEnd >= 500_000_000, "the report was not held back: \(timings)")
        #expect(duration >= 300_000_000, "shorter than the handler: \(timings)")
        // Timed to the handler's end; 250 ms of slack for the return from the handler on a
        // loaded machine, half the time the report was held back.
        #expect(duration < untilHandlerEnd + 250_000_000, "timed past the handler's end: \(timings)")
        #expect(untilAnswer - duration >= 400_000_000, "timed to the report, not to the handler: \(timings)")
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}

/// Keeps ``ReportBuildThread/requests``, where a `?profile=1` request's profile is built and
/// its report rendered, busy from the handler's end for `duration`: the report queues behind.
private final class ReportBuildHold: Sendable {
    private let duration: Duration
    private let running = DispatchSemaphore(value: 0)
    private let ended = DispatchSemaphore(value: 0)
    private let heldOnThread = Atomic<Bool>(false)

    init(for duration: Duration) {
        self.duration = duration
    }

    /// Puts a job on the report thread and returns once it runs there (blocking the caller,
    /// the handler's own sampled thread), or after 30 s: a report thread held by something
    /// else must fail the test (``held`` stays false), not hang the run.
    func occupyTheReportThread() {
        Task(executorPreference: ReportBuildThread.requests) { [self] in
            heldOnThread.store(ReportBuildThread.requests.isCurrent, ordering: .releasing)
            hold()
        }
        _ = running.wait(timeout: .now() + 30)
    }

    /// Lets the hold's time start.
    func handlerEnded() { ended.signal() }

    /// Whether the hold ran on the report thread.
    var held: Bool { heldOnThread.load(ordering: .acquiring) }

    private func hold() {
        running.signal()
        _ = ended.wait(timeout: .now() + 60)
        Thread.sleep(forTimeInterval: Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}
