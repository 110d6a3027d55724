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
    @Test(arguments: ["html", "json"])
    func aProfiledRequestIsTimedWithoutItsReport(format: String) async throws {
        let events = try ScratchDirectory("profiled-duration")
        defer { events.remove() }
        let core = RequestProfilingCore(settings: ProfilingSettings(
            isEnabled: true, metrics: MetricsSettings(isEnabled: true, directory: events.path)))
        let handlerEnd = Mutex<ContinuousClock.Instant?>(nil)
        let sent = ContinuousClock.now
        let response = try await CoreRequest(path: "/work", query: "profile=1&profile_format=\(format)").response(from: core) {
            let result = "worked \(busy(for: .milliseconds(300)))"
            handlerEnd.withLock { $0 = .now }
            return result
        }
        let answered = ContinuousClock.now
        #expect(response.status == 200)
        await core.shutdown()

        let lines = try events.files().flatMap { name in
            try String(contentsOfFile: events.path + "/" + name, encoding: .utf8).split(separator: "\n")
        }
        let event = try #require(lines.first { $0.contains("\"kind\":\"REQ\"") && $0.contains("\"route\":\"/work\"") }, "\(lines)")
        let duration = try #require(event.firstMatch(of: /"dur_ns":([0-9]+)/).flatMap { Int64($0.1) })
        let ended = try #require(handlerEnd.withLock { $0 })
        let untilHandlerEnd = Self.nanoseconds(sent.duration(to: ended))
        let untilAnswer = Self.nanoseconds(sent.duration(to: answered))
        // Timed to the report, the duration would reach past the handler's end by the report's
        // build (milliseconds at least); a few ms of slack cover the return from the handler.
        #expect(duration >= 300_000_000)
        #expect(
            duration <= untilHandlerEnd + 3_000_000,
            "timed to the handler's end (\(untilHandlerEnd) ns after the start), not to the report's (\(untilAnswer) ns): \(duration) ns")
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}
