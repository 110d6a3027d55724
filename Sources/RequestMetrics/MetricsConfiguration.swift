/// How a ``MetricsPipeline`` samples, keeps stats and queues events.
public struct MetricsConfiguration: Sendable {
    public var policy: MetricsPolicy
    /// The stats store's sliding window (15 minutes by default).
    public var window: Duration
    public var queueCapacity: Int
    public var batchSize: Int
    public var flushInterval: Duration
    /// Consecutive failures after which an exporter is disabled.
    public var maximumExporterFailures: Int
    /// How long a disabled exporter rests before it is tried again (doubled after each failed
    /// try, up to an hour).
    public var exporterRetryInterval: Duration
    public var recentErrorCapacity: Int
    /// Injected in tests to control durations and the stats window.
    public var clock: MetricsClock

    public init(
        policy: MetricsPolicy = MetricsPolicy(), window: Duration = .seconds(900), queueCapacity: Int = 10_000,
        batchSize: Int = 256, flushInterval: Duration = .milliseconds(500), maximumExporterFailures: Int = 5,
        exporterRetryInterval: Duration = .seconds(60), recentErrorCapacity: Int = 100, clock: MetricsClock = .system
    ) {
        self.policy = policy
        self.window = window
        self.queueCapacity = queueCapacity
        self.batchSize = batchSize
        self.flushInterval = flushInterval
        self.maximumExporterFailures = maximumExporterFailures
        self.exporterRetryInterval = exporterRetryInterval
        self.recentErrorCapacity = recentErrorCapacity
        self.clock = clock
    }
}
