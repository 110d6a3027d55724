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
    /// Why the exporter could not start (a folder it cannot write yet), nil when it did. Read
    /// once, when the collector starts: an exporter that could not start is disabled from the
    /// first moment (listed in ``EventCollector/disabledExporters``) and tried again as any
    /// disabled exporter is, instead of being left out of the collector for good.
    var startFailure: (any Error)? { get }
}

extension EventExporter {
    /// Most exporters have nothing to fail at start.
    public var startFailure: (any Error)? { nil }
}

/// An exporter that also wants to know how many events the collector dropped (e.g. to export
/// `request_profiler_events_dropped_total`). Told from the collector's thread, as deltas.
public protocol EventDropObserver: AnyObject, Sendable {
    func eventsDropped(_ count: Int)
}
