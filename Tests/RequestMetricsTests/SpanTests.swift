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
