import CoreMetrics
import MetricsTestKit
import Synchronization
import Testing

@testable import RequestMetrics

@Suite struct SwiftMetricsExporterTests {
    /// Counts how often the exporter asks the backend for a handle.
    final class CountingFactory: MetricsFactory {
        let upstream = TestMetrics()
        let made = Mutex(0)

        func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
            made.withLock { $0 += 1 }
            return upstream.makeCounter(label: label, dimensions: dimensions)
        }
        func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
            upstream.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate)
        }
        func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
            made.withLock { $0 += 1 }
            return upstream.makeTimer(label: label, dimensions: dimensions)
        }
        func destroyCounter(_ handler: any CounterHandler) { upstream.destroyCounter(handler) }
        func destroyRecorder(_ handler: any RecorderHandler) { upstream.destroyRecorder(handler) }
        func destroyTimer(_ handler: any TimerHandler) { upstream.destroyTimer(handler) }
    }

    private func request(_ route: String, _ status: Int, milliseconds: UInt64) -> MetricsEvent {
        .request(
            RequestEvent(
                timestampNanoseconds: 0, traceID: TraceID(high: 0, low: 1), spanID: SpanID(2), method: "GET", route: route, status: status,
                durationNanoseconds: milliseconds * 1_000_000))
    }

    @Test func countsRequestsAndTimesThemPerRouteMethodAndStatus() throws {
        let factory = CountingFactory()
        let metrics = factory.upstream
        let exporter = SwiftMetricsExporter(factory: factory)
        try exporter.export([
            request("/users/:id", 200, milliseconds: 10), request("/users/:id", 200, milliseconds: 30),
            request("/users/:id", 500, milliseconds: 5), request("/users/:id", 200, milliseconds: 20), .span(SpanEvent(timestampNanoseconds: 0, traceID: TraceID(high: 0, low: 1), spanID: SpanID(3), parentSpanID: SpanID(2), name: "n", durationNanoseconds: 1)),
        ])
        try exporter.export((0..<10).map { _ in request("/users/:id", 200, milliseconds: 1) })
        let ok = [("route", "/users/:id"), ("method", "GET"), ("status", "200")]
        let failed = [("route", "/users/:id"), ("method", "GET"), ("status", "500")]
        #expect(try metrics.expectCounter("request_profiler_requests_total", ok).totalValue == 13)
        #expect(try metrics.expectCounter("request_profiler_requests_total", failed).totalValue == 1)
        let timer = try metrics.expectTimer("request_profiler_request_duration_seconds", ok)
        // The 200 after the 500 goes to its own series again (the exporter remembers the last key).
        #expect(Array(timer.values.prefix(3)) == [10_000_000, 30_000_000, 20_000_000])
        #expect(timer.displayUnit == .seconds)
        // The dropped counter, and one counter + one timer per key: handles are cached.
        #expect(factory.made.withLock { $0 } == 1 + 2 * 2)
    }

    @Test func collectorReportsDropsToTheDroppedCounter() async throws {
        let metrics = TestMetrics()
        let exporter = SwiftMetricsExporter(factory: metrics)
        let blocker = RecordingExporter()
        let collector = EventCollector(
            exporters: [blocker, exporter], capacity: 2, batchSize: 1, flushInterval: .seconds(3600), logger: .init(label: "test"))
        blocker.blockNextExport()
        collector.submit(request("/", 200, milliseconds: 1))
        blocker.waitUntilBlocked()
        for _ in 0..<7 { collector.submit(request("/", 200, milliseconds: 1)) }  // 2 fit, 5 dropped
        blocker.releaseBlockedExport()
        await collector.shutdown()
        #expect(try metrics.expectCounter("request_profiler_events_dropped_total").totalValue == 5)
        #expect(metrics.counterTotal(label: "request_profiler_requests_total") == 3)
    }
}
