import Logging
import Testing

@testable import RequestMetrics

@Suite struct MetricsPipelineTests {
    struct CheckoutFailed: Error, CustomStringConvertible {
        var description: String { "card declined" }
    }

    private func makePipeline(
        clock: ManualClock, exporter: RecordingExporter, policy: MetricsPolicy = MetricsPolicy()
    ) -> MetricsPipeline {
        MetricsPipeline(
            configuration: MetricsConfiguration(policy: policy, flushInterval: .seconds(60), clock: clock.metricsClock),
            exporters: [exporter], logger: Logger(label: "test"))
    }

    @Test func measuredRequestGoesToStatsAndEvents() async throws {
        let clock = ManualClock()
        let exporter = RecordingExporter()
        let pipeline = makePipeline(clock: clock, exporter: exporter)
        let start = clock.now
        let measurement = try #require(
            pipeline.begin(method: "GET", path: "/users/7", traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        clock.advance(by: .milliseconds(12))
        pipeline.finish(measurement, route: "/users/:id", status: 200, error: nil, bytesIn: 0, bytesOut: 321, profile: "p.html")
        await pipeline.shutdown()

        #expect(exporter.events.count == 1)
        guard case .request(let event) = exporter.events.first else {
            Issue.record("expected a REQ event, got \(exporter.events)")
            return
        }
        #expect(event.traceID.description == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(event.spanID == measurement.spanID)
        #expect(event.timestampNanoseconds == start)
        #expect(event.durationNanoseconds == 12_000_000)
        #expect(event.route == "/users/:id")
        #expect(event.bytesOut == 321)
        #expect(event.profile == "p.html")
        let stats = pipeline.stats.snapshot()
        #expect(stats.overall.count == 1)
        #expect(stats.routes.first?.route == "/users/:id")
    }

    @Test func thrownErrorAddsRequestMetaAndRingEntry() async throws {
        let clock = ManualClock()
        let exporter = RecordingExporter()
        let pipeline = makePipeline(clock: clock, exporter: exporter, policy: MetricsPolicy(sampleRate: 0))
        let measurement = try #require(pipeline.begin(method: "POST", path: "/checkout", traceparent: "garbage"))
        #expect(measurement.traceID != TraceID(high: 0, low: 0))  // a new trace, not the garbage header's
        pipeline.finish(measurement, route: "/checkout", status: 500, error: CheckoutFailed(), bytesIn: nil, bytesOut: nil, profile: nil)
        let plain = try #require(pipeline.begin(method: "GET", path: "/fine", traceparent: nil))
        pipeline.finish(plain, route: "/fine", status: 200, error: nil, bytesIn: nil, bytesOut: nil, profile: nil)
        await pipeline.shutdown()

        #expect(exporter.events.map(\.kind) == ["REQ", "REQ_META"])  // the 200 is sampled out
        guard case .error(let meta) = exporter.events.last else { return }
        #expect(meta.traceID == measurement.traceID)
        #expect(meta.spanID == measurement.spanID)
        #expect(meta.exceptionType.hasSuffix("CheckoutFailed"))
        #expect(meta.exceptionValue == "card declined")
        let stats = pipeline.stats.snapshot()
        #expect(stats.overall.count == 2)  // stats see every measured request
        #expect(stats.overall.errors == 1)
        #expect(stats.recentErrors.map(\.exceptionValue) == ["card declined"])
    }

    /// An error that carries a whole upstream body in its message: every error is recorded, so
    /// a storm of them held their full texts in the queue, the encoder's buffer and the ring.
    @Test func anErrorsTextsAreCutToABoundedSize() async throws {
        struct UpstreamFailed: Error, CustomStringConvertible {
            var description: String { "upstream said: " + String(repeating: "é", count: 5_000_000) }
        }
        let clock = ManualClock()
        let exporter = RecordingExporter()
        let pipeline = makePipeline(clock: clock, exporter: exporter)
        let measurement = try #require(pipeline.begin(method: "GET", path: "/proxy", traceparent: nil))
        pipeline.finish(measurement, route: "/proxy", status: 502, error: UpstreamFailed(), bytesIn: nil, bytesOut: nil, profile: nil)
        await pipeline.shutdown()

        guard case .error(let meta) = exporter.events.last else {
            Issue.record("expected a REQ_META event, got \(exporter.events.map(\.kind))")
            return
        }
        #expect(meta.exceptionValue.utf8.count < 4_200, "\(meta.exceptionValue.utf8.count) bytes kept")
        #expect(meta.exceptionValue.hasPrefix("upstream said: éé"))
        #expect(meta.exceptionValue.hasSuffix("more bytes cut]"))
        #expect(meta.traceback.utf8.count < 16_500)
        #expect(!meta.exceptionValue.unicodeScalars.contains("\u{FFFD}"), "a character was cut in half")
        #expect(MetricsEvent.error(meta).jsonLine.utf8.count < 25_000)
        let ring = pipeline.stats.snapshot().recentErrors
        #expect(ring.first?.exceptionValue == meta.exceptionValue)
    }

    @Test func textsAreCutOnWholeCharacters() {
        #expect(FailureDescription.cut("short", to: 10) == "short")
        #expect(FailureDescription.cut("abcdef", to: 3) == "abc … [3 more bytes cut]")
        // "é" is two bytes: a cut inside it keeps the character out.
        #expect(FailureDescription.cut("aéb", to: 2) == "a … [3 more bytes cut]")
        #expect(FailureDescription.cut("🙂🙂", to: 5) == "🙂 … [4 more bytes cut]")
    }

    @Test func bare5xxIsAnErrorAndUnmatchedRoutesShareOneName() async throws {
        let clock = ManualClock()
        let exporter = RecordingExporter()
        let pipeline = makePipeline(clock: clock, exporter: exporter)
        for path in ["/a", "/b", "/c"] {
            let measurement = try #require(pipeline.begin(method: "GET", path: path, traceparent: nil))
            pipeline.finish(measurement, route: nil, status: 503, error: nil, bytesIn: nil, bytesOut: nil, profile: nil)
        }
        await pipeline.shutdown()
        #expect(pipeline.stats.snapshot().routes.map(\.route) == [RouteName.unmatched])
        #expect(pipeline.stats.snapshot().recentErrors.first?.exceptionType == "HTTP 503")
        #expect(exporter.events.map(\.kind) == ["REQ", "REQ_META", "REQ", "REQ_META", "REQ", "REQ_META"])
    }

    @Test func excludedPathIsNotMeasured() async throws {
        let exporter = RecordingExporter()
        let pipeline = makePipeline(
            clock: ManualClock(), exporter: exporter, policy: MetricsPolicy(exclusions: [try PathPattern(parsing: "/health")]))
        #expect(pipeline.begin(method: "GET", path: "/health", traceparent: nil) == nil)
        await pipeline.shutdown()
        #expect(exporter.events.isEmpty)
        #expect(pipeline.stats.snapshot().overall.count == 0)
    }
}
