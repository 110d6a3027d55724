/// What the exporter did, for logs and metrics: every submitted profile ends up sent,
/// dropped (queue full or exporter shut down), failed (given up after its attempts) or
/// abandoned (still queued or being sent when shutdown stopped waiting).
public struct PyroscopeExporterStatistics: Sendable, Hashable {
    public var submitted = 0
    public var sent = 0
    /// Not queued: the queue was full, or the exporter was shutting down.
    public var dropped = 0
    /// Given up: every attempt failed, or the server refused the profile (4xx other than 408
    /// and 429).
    public var failed = 0
    /// Still queued or being sent when ``PyroscopeExporter/shutdown(waitingAtMost:)`` stopped
    /// waiting for the server.
    public var abandoned = 0
    /// Attempts after the first.
    public var retries = 0

    public init() {}
}
