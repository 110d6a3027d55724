import Logging
import Testing

@testable import RequestMetrics

@Suite struct SpanTests {
    struct LookupFailed: Error, CustomStringConvertible {
        var description: String { "no such row" }
    }

    private func makePipeline(_ clock: ManualClock, _ exporter: RecordingExporter) -> MetricsPipeline {
        MetricsPipeline(
            configuration: MetricsConfiguration(flushInterval: .seconds(60), clock: clock.metricsClock),
            exporters: [exporter], logger: Logger(label: "test"))
    }

    private func spans(_ events: [MetricsEvent]) -> [String: SpanEvent] {
        var result: [String: SpanEvent] = [:]
        for case .span(let span) in events { result[span.name] = span }
        return result
    }

    @Test func syncAndAsyncSpansNestUnderTheRequest() async throws {
        let clock = ManualClock()
        let exporter = RecordingExporter()
        let pipeline = makePipeline(clock, exporter)
        let measurement = try #require(pipeline.begin(method: "GET", path: "/p", traceparent: nil))
        let answer = await RequestTrace.$current.withValue(measurement.traceContext) { () async -> Int in
            let outer = await RequestMetricsAPI.span("outer") { () async -> Int in
                clock.advance(by: .milliseconds(2))
                let inner = RequestMetricsAPI.span("inner") { () -> Int in
                    clock.advance(by: .milliseconds(3))
                    return 40
                }
                return inner + 1
            }
            return outer + 1
        }
        await pipeline.shutdown()
        #expect(answer == 42)
        let byName = spans(exporter.events)
        let outer = try #require(byName["outer"])
        let inner = try #require(byName["inner"])
        #expect(outer.traceID == measurement.traceID)
        #expect(outer.parentSpanID == measurement.spanID)
        #expect(inner.parentSpanID == outer.spanID)
        #expect(inner.traceID == measurement.traceID)
        #expect(outer.durationNanoseconds == 5_000_000)
        #expect(inner.durationNanoseconds == 3_000_000)
        #expect(outer.error == nil)
        #expect(Set([outer.spanID, inner.spanID, measurement.spanID]).count == 3)
    }

    @Test func throwingSpanRecordsTheErrorAndRethrowsIt() async throws {
        let exporter = RecordingExporter()
        let pipeline = makePipeline(ManualClock(), exporter)
        let measurement = try #require(pipeline.begin(method: "GET", path: "/p", traceparent: nil))
        #expect(throws: LookupFailed.self) {
            try RequestTrace.$current.withValue(measurement.traceContext) {
                try RequestMetricsAPI.span("lookup") { () throws(LookupFailed) -> Int in throw LookupFailed() }
            }
        }
        await pipeline.shutdown()
        #expect(spans(exporter.events)["lookup"]?.error == "no such row")
    }

    /// An error may carry a whole upstream body: a SPAN's error text is cut like REQ_META's.
    @Test func aSpansErrorTextIsCut() async throws {
        struct UpstreamFailed: Error, CustomStringConvertible {
            var description: String { String(repeating: "b", count: 100_000) }
        }
        let exporter = RecordingExporter()
        let pipeline = makePipeline(ManualClock(), exporter)
        let measurement = try #require(pipeline.begin(method: "GET", path: "/p", traceparent: nil))
        #expect(throws: UpstreamFailed.self) {
            try RequestTrace.$current.withValue(measurement.traceContext) {
                try RequestMetricsAPI.span("upstream") { () throws(UpstreamFailed) -> Int in throw UpstreamFailed() }
            }
        }
        await pipeline.shutdown()
        let error = try #require(spans(exporter.events)["upstream"]?.error)
        #expect(error.utf8.count < 4_200, "\(error.utf8.count) bytes")
        #expect(error.hasPrefix(String(repeating: "b", count: 4_096)))
    }

    @Test func outsideARequestSpansJustRunAndErrorsAreIgnored() async throws {
        #expect(RequestTrace.current?.traceID == nil)
        #expect(RequestMetricsAPI.span("free") { 7 } == 7)
        #expect(await RequestMetricsAPI.span("free async") { () async in 8 } == 8)
        RequestMetricsAPI.recordError(LookupFailed())  // nothing to record into: must not crash
    }

    @Test func recordErrorGoesToTheRingAndEmitsRequestMeta() async throws {
        let exporter = RecordingExporter()
        let pipeline = MetricsPipeline(
            configuration: MetricsConfiguration(policy: MetricsPolicy(sampleRate: 0), clock: ManualClock().metricsClock),
            exporters: [exporter], logger: Logger(label: "test"))
        let measurement = try #require(pipeline.begin(method: "PUT", path: "/items/3", traceparent: nil))
        var context = measurement.traceContext
        context.route = "/items/:id"
        RequestTrace.$current.withValue(context) {
            RequestMetricsAPI.recordError(LookupFailed(), status: 404)
        }
        await pipeline.shutdown()
        guard case .error(let meta) = exporter.events.first else {
            Issue.record("expected REQ_META, got \(exporter.events)")
            return
        }
        #expect(exporter.events.count == 1)
        #expect(meta.traceID == measurement.traceID)
        #expect(meta.route == "/items/:id")
        #expect(meta.status == 404)
        #expect(meta.exceptionValue == "no such row")
        let ring = pipeline.stats.snapshot().recentErrors
        #expect(ring.map(\.route) == ["/items/:id"])
        #expect(ring.first?.method == "PUT")
    }
}

/// Spans follow their request's sampling draw: a request the draw leaves out writes no SPAN
/// lines, so a low sample rate cuts span volume too and every SPAN has its REQ.
@Suite struct SpanSamplingTests {
    private func run(rate: Double, status: Int) async throws -> [MetricsEvent] {
        let exporter = RecordingExporter()
        let clock = ManualClock()
        let pipeline = MetricsPipeline(
            configuration: MetricsConfiguration(
                policy: MetricsPolicy(sampleRate: rate, random: SeededRandomSource(seed: 1)), flushInterval: .seconds(60),
                clock: clock.metricsClock),
            exporters: [exporter], logger: Logger(label: "test"))
        let measurement = try #require(pipeline.begin(method: "GET", path: "/p", traceparent: nil))
        RequestTrace.$current.withValue(measurement.traceContext) {
            RequestMetricsAPI.span("work") { clock.advance(by: .milliseconds(1)) }
        }
        pipeline.finish(measurement, route: "/p", status: status, error: nil, bytesIn: nil, bytesOut: nil, profile: nil)
        await pipeline.shutdown()
        return exporter.events
    }

    @Test func aRequestLeftOutByTheDrawWritesNoSpans() async throws {
        #expect(try await run(rate: 0, status: 200).isEmpty)
    }

    @Test func aDrawnRequestWritesItsSpansAndItsRequest() async throws {
        let events = try await run(rate: 1, status: 200)
        #expect(events.contains { if case .span = $0 { true } else { false } })
        #expect(events.contains { if case .request = $0 { true } else { false } })
    }

    /// A request written only because it failed has its REQ (and REQ_META) but no spans: the
    /// draw was made when it started.
    @Test func aFailedRequestLeftOutByTheDrawHasItsRequestButNoSpans() async throws {
        let events = try await run(rate: 0, status: 503)
        #expect(!events.contains { if case .span = $0 { true } else { false } })
        #expect(events.contains { if case .request = $0 { true } else { false } })
    }
}
