import ServiceLifecycle

/// Runs an ``EventCollector`` inside a swift-service-lifecycle `ServiceGroup` (Hummingbird's
/// application): idles until graceful shutdown (or cancellation), then drains the collector so
/// no queued event is lost when the server stops.
public struct EventCollectorService: Service {
    public let collector: EventCollector

    public init(collector: EventCollector) {
        self.collector = collector
    }

    public func run() async throws {
        // Throws CancellationError when cancelled instead of shut down gracefully: drain anyway.
        try? await gracefulShutdown()
        await collector.shutdown()
    }
}
