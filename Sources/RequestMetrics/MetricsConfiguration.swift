/// How a ``MetricsPipeline`` samples, keeps stats and queues events.
public struct MetricsConfiguration: Sendable {
    public var policy: MetricsPolicy
    /// The stats store's sliding window (15 minutes by default; whole minutes, one minute to a
    /// day: ``StatsStore/longestWindow``).
    public var window: Duration
    public var queueCapacity: Int
    /// Bytes of error and span texts the queue may hold (``EventCollector/textByteLimit``).
    public var queueTextByteLimit: Int
    /// Events per exporter call (1 to ``EventCollector/largestBatchSize``).
    public var batchSize: Int
    public var flushInterval: Duration
    /// Consecutive failures after which an exporter is disabled.
    public var maximumExporterFailures: Int
    /// How long a disabled exporter rests before it is tried again (doubled after each failed
    /// try, up to an hour).
    public var exporterRetryInterval: Duration
    /// Errors kept for the dashboard (up to 100,000).
    public var recentErrorCapacity: Int
    /// Injected in tests to control durations and the stats window.
    public var clock: MetricsClock

    public init(
        policy: MetricsPolicy = MetricsPolicy(), window: Duration = StatsStore.defaultWindow, queueCapacity: Int = 10_000,
        queueTextByteLimit: Int = EventCollector.defaultTextByteLimit, batchSize: Int = 256,
        flushInterval: Duration = .milliseconds(500), maximumExporterFailures: Int = 5,
        exporterRetryInterval: Duration = .seconds(60), recentErrorCapacity: Int = 100, clock: MetricsClock = .system
    ) {
        self.policy = policy
        self.window = window
        self.queueCapacity = queueCapacity
        self.queueTextByteLimit = queueTextByteLimit
        self.batchSize = batchSize
        self.flushInterval = flushInterval
        self.maximumExporterFailures = maximumExporterFailures
        self.exporterRetryInterval = exporterRetryInterval
        self.recentErrorCapacity = recentErrorCapacity
        self.clock = clock
    }
}
