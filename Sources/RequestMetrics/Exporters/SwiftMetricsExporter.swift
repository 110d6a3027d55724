import CoreMetrics
import Synchronization

/// Feeds request events to swift-metrics, so Prometheus or OpenTelemetry backends see them:
/// `request_profiler_requests_total` (counter) and `request_profiler_request_duration_seconds`
/// (timer, a histogram in seconds for Prometheus), both with dimensions route, method, status,
/// and `request_profiler_events_dropped_total` fed by the collector's drop count.
///
/// The names don't collide with Vapor's `http_requests_total` or Hummingbird's
/// MetricsMiddleware. Metric handles are made once per (route, method, status) and cached:
/// the factory is not consulted per event. Routes are templates (unmatched requests share one
/// name), so the number of series stays bounded.
public final class SwiftMetricsExporter: EventExporter, EventDropObserver {
    public static let requestsLabel = "request_profiler_requests_total"
    public static let durationLabel = "request_profiler_request_duration_seconds"
    public static let droppedLabel = "request_profiler_events_dropped_total"

    public let name = "swift-metrics"
    private let factory: any MetricsFactory
    private let dropped: Counter
    private let handles = Mutex<[Key: Handles]>([:])

    private struct Key: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    private struct Handles: Sendable {
        var requests: Counter
        var duration: CoreMetrics.Timer
    }

    /// - Parameter factory: the backend; defaults to the one bootstrapped in `MetricsSystem`.
    ///   Tests pass their own (the global system can be bootstrapped only once per process).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        dropped = Counter(label: Self.droppedLabel, dimensions: [], factory: factory)
    }

    public func export(_ batch: [MetricsEvent]) throws {
        // Consecutive events mostly share their route, method and status: comparing with the
        // last key is cheaper than hashing two strings and taking the lock for every event.
        var last: (key: Key, handles: Handles)?
        for case .request(let event) in batch {
            let key = Key(route: event.route, method: event.method, status: event.status)
            let handles: Handles
            if let last, last.key == key {
                handles = last.handles
            } else {
                handles = self.handles(for: key)
                last = (key, handles)
            }
            handles.requests.increment()
            handles.duration.recordNanoseconds(Int64(clamping: event.durationNanoseconds))
        }
    }

    public func eventsDropped(_ count: Int) {
        dropped.increment(by: Int64(count))
    }

    public func flush() throws {}

    public func close() {}

    private func handles(for key: Key) -> Handles {
        handles.withLock { cache in
            if let cached = cache[key] { return cached }
            let dimensions = [("route", key.route), ("method", key.method), ("status", String(key.status))]
            let timer = CoreMetrics.Timer(
                label: Self.durationLabel, dimensions: dimensions, preferredDisplayUnit: .seconds, factory: factory)
            let made = Handles(
                requests: Counter(label: Self.requestsLabel, dimensions: dimensions, factory: factory), duration: timer)
            cache[key] = made
            return made
        }
    }
}
