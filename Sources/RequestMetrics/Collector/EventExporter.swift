/// Where the collector delivers events: a file, the console, a metrics backend.
///
/// All calls come from the collector's one background thread, never from a request, so an
/// exporter may do blocking I/O. A throwing exporter is retried with the next batch and disabled
/// after the collector's `maximumFailures` consecutive failures.
public protocol EventExporter: AnyObject, Sendable {
    /// Names the exporter in logs.
    var name: String { get }
    func export(_ batch: [MetricsEvent]) throws
    /// Called every flush interval and at shutdown.
    func flush() throws
    /// Called once, at shutdown. A disabled exporter is not closed: it is tried again later.
    func close()
}

/// An exporter that also wants to know how many events the collector dropped (e.g. to export
/// `request_profiler_events_dropped_total`). Told from the collector's thread, as deltas.
public protocol EventDropObserver: AnyObject, Sendable {
    func eventsDropped(_ count: Int)
}
