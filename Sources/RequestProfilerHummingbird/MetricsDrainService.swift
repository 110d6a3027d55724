#if Hummingbird
import RequestProfilerHTTP
import ServiceLifecycle

/// A service for Hummingbird's service group that does nothing until graceful shutdown, then
/// drains the metrics collector: queued events are exported and the exporters flushed and
/// closed (JSONL files renamed to their final names). Get it from
/// ``RequestProfilingMiddleware/metricsService`` and pass it to `Application(services:)`.
public struct MetricsDrainService: Service {
    let core: RequestProfilingCore

    public init(core: RequestProfilingCore) {
        self.core = core
    }

    public func run() async throws {
        // Returns on graceful shutdown, throws on cancellation: drain either way.
        try? await gracefulShutdown()
        await core.shutdown()
    }
}
#endif
