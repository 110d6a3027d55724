import Metrics
import Prometheus

/// The demos' swift-metrics backend: swift-prometheus, exposed at `GET /metrics` in the
/// Prometheus text format. The request profiler's `SwiftMetricsExporter` (and Vapor's own
/// `http_requests_total`) report into whatever `MetricsSystem` the app bootstrapped; this is it.
public enum PrometheusExposition {
    public static let registry = PrometheusCollectorRegistry()

    /// Call once, before the middleware is created (metrics made earlier would go nowhere).
    public static func bootstrap() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    /// The text exposition of every metric so far.
    public static func text() -> [UInt8] {
        registry.emitToBuffer()
    }

    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
