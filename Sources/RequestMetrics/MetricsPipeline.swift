import Logging

/// The one object the HTTP core talks to: measures requests, keeps the stats and hands sampled
/// events to the collector.
///
/// Per request: `begin` (exclusion check, ids, clock reads) before the handler, `finish` after
/// it (stats record, sampling decision, queue append). Neither throws nor blocks on I/O.
public final class MetricsPipeline: Sendable {
    public let configuration: MetricsConfiguration
    public let stats: StatsStore
    public let collector: EventCollector
    private let clock: MetricsClock
    /// Read from the policy once: in the common setup (no exclusions, no overrides, rate 1)
    /// a request then skips the policy's path checks altogether.
    private let hasExclusions: Bool
    private let recordsEveryRequest: Bool
    /// Only rate overrides look at the path for the sampling draw.
    private let drawNeedsPath: Bool

    /// Starts the collector's thread; call ``shutdown()`` (or run an ``EventCollectorService``)
    /// to drain it when the server stops.
    public init(configuration: MetricsConfiguration, exporters: [any EventExporter], logger: Logger) {
        self.configuration = configuration
        clock = configuration.clock
        hasExclusions = !configuration.policy.exclusions.isEmpty
        recordsEveryRequest = configuration.policy.overrides.isEmpty && configuration.policy.sampleRate >= 1
        drawNeedsPath = !configuration.policy.overrides.isEmpty
        stats = StatsStore(
            window: configuration.window, recentErrorCapacity: configuration.recentErrorCapacity,
            clock: configuration.clock.wallNanoseconds)
        collector = EventCollector(
            exporters: exporters, capacity: configuration.queueCapacity,
            textByteLimit: configuration.queueTextByteLimit, batchSize: configuration.batchSize,
            flushInterval: configuration.flushInterval, maximumFailures: configuration.maximumExporterFailures,
            exporterRetryInterval: configuration.exporterRetryInterval,
            logger: logger)
    }

    /// nil when the path is excluded: then nothing is measured.
    ///
    /// - Parameter path: read only when exclusions or rate overrides need it. Vapor computes a
    ///   request's path through Foundation's `URLComponents` on every read (about 1 µs), more
    ///   than all the rest of the measuring.
    public func begin(method: String, path: @autoclosure () -> String, traceparent: String?) -> RequestMeasurement? {
        let needsPath = hasExclusions || drawNeedsPath
        let path = needsPath ? path() : nil
        if hasExclusions, let path, configuration.policy.isExcluded(path: path) { return nil }
        let isSampled = recordsEveryRequest || configuration.policy.draws(path: path ?? "")
        let ids = IdentifierGenerator.nextThree()
        let traceID = traceparent.flatMap(TraceParent.init(parsing:))?.traceID ?? TraceID(randomHigh: ids.0, low: ids.1)
        return RequestMeasurement(
            startMonotonicNanoseconds: clock.monotonicNanoseconds(),
            timestampNanoseconds: clock.wallNanoseconds(),
            traceID: traceID,
            spanID: SpanID(random: ids.2),
            method: method,
            isSampled: isSampled,
            pipeline: self
        )
    }

    /// Records into stats (every measured request) and, when the request was drawn, failed
    /// (errors always recorded) or had its profile saved, emits REQ (+ REQ_META for a thrown
    /// error or a 5xx). Never throws, never blocks.
    ///
    /// - Parameters:
    ///   - route: the matched route template; nil means unmatched (``RouteName/unmatched``).
    ///   - endMonotonicNanoseconds: when the request ended, read from ``monotonicNanoseconds`` when it
    ///     did; nil means now. Auto-capture emits the events of a request whose profile it
    ///     saves only once the report is written, after the response, so that the event can
    ///     name the file.
    ///   - recordedInStats: the request is in the stats already
    ///     (``recordInStats(_:route:status:error:endMonotonicNanoseconds:)``, at its response);
    ///     only its events are left.
    public func finish(
        _ measurement: RequestMeasurement, route: String?, status: Int, error: (any Error)?,
        bytesIn: Int?, bytesOut: Int?, profile: String?, endMonotonicNanoseconds: UInt64? = nil,
        recordedInStats: Bool = false
    ) {
        let duration = duration(of: measurement, endingAt: endMonotonicNanoseconds)
        let route = route ?? RouteName.unmatched
        let threw = error != nil
        let failure = Self.failure(error, status: status)
        if !recordedInStats { record(measurement, route: route, status: status, duration: duration, failure: failure) }
        // A request whose profile was saved is always written: its REQ event names the report.
        guard profile != nil || configuration.policy.shouldRecord(drawn: measurement.isSampled, status: status, threw: threw)
        else { return }
        collector.submit(
            .request(
                RequestEvent(
                    timestampNanoseconds: measurement.timestampNanoseconds, traceID: measurement.traceID,
                    spanID: measurement.spanID, method: measurement.method, route: route, status: status,
                    durationNanoseconds: duration, bytesIn: bytesIn, bytesOut: bytesOut, profile: profile)))
        if let failure {
            collector.submit(
                .error(
                    RequestErrorEvent(
                        timestampNanoseconds: measurement.timestampNanoseconds, traceID: measurement.traceID,
                        spanID: measurement.spanID, method: measurement.method, route: route, status: status,
                        exceptionType: failure.type, exceptionValue: failure.value, traceback: failure.traceback)))
        }
    }

    /// The stats side of ``finish(_:route:status:error:bytesIn:bytesOut:profile:endMonotonicNanoseconds:recordedInStats:)``
    /// alone, for a request whose events wait: auto-capture emits a kept request's REQ once its
    /// report is saved, but the request counts in its route's latency at its response (else a
    /// burst of slow requests left the p95 that judges them, and a hung reports folder kept
    /// them out of the dashboard for good). Then call `finish` with `recordedInStats: true`.
    public func recordInStats(
        _ measurement: RequestMeasurement, route: String?, status: Int, error: (any Error)?, endMonotonicNanoseconds: UInt64? = nil
    ) {
        let failure = Self.failure(error, status: status)
        record(
            measurement, route: route ?? RouteName.unmatched, status: status,
            duration: duration(of: measurement, endingAt: endMonotonicNanoseconds), failure: failure)
    }

    /// What a thrown error or a 5xx records (the error ring, REQ_META); nil for a success.
    private static func failure(_ error: (any Error)?, status: Int) -> FailureDescription? {
        error != nil || status >= 500 ? FailureDescription(error: error, status: status) : nil
    }

    private func duration(of measurement: RequestMeasurement, endingAt end: UInt64?) -> UInt64 {
        let now = end ?? clock.monotonicNanoseconds()
        return now >= measurement.startMonotonicNanoseconds ? now - measurement.startMonotonicNanoseconds : 0
    }

    private func record(_ measurement: RequestMeasurement, route: String, status: Int, duration: UInt64, failure: FailureDescription?) {
        // The end's wall time is the start's plus the monotonic duration: one clock read fewer.
        stats.record(
            method: measurement.method, route: route, durationNanoseconds: duration, failed: failure != nil,
            at: measurement.timestampNanoseconds &+ duration)
        if let failure {
            stats.record(
                RecentError(
                    timestampNanoseconds: measurement.timestampNanoseconds, method: measurement.method, route: route,
                    status: status, exceptionType: failure.type, exceptionValue: failure.value))
        }
    }

    /// Drains the collector (see ``EventCollector/shutdown()``).
    public func shutdown() async {
        await collector.shutdown()
    }

    /// Wall clock now, for events made outside `finish` (spans, manual errors).
    var wallNanoseconds: UInt64 { clock.wallNanoseconds() }
    /// The monotonic clock requests are timed with (spans, and the end of a request that
    /// ``finish(_:route:status:error:bytesIn:bytesOut:profile:endMonotonicNanoseconds:recordedInStats:)`` records later).
    public var monotonicNanoseconds: UInt64 { clock.monotonicNanoseconds() }
}
