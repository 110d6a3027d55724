import RequestMetrics

/// Request metrics (`PROFILING_METRICS_*`): which requests become events and where the events
/// go. Off by default; turning it on measures every request (minus the exclusions) and emits
/// the sampled ones to swift-metrics and, with ``directory`` set, to rotating JSONL files.
public struct MetricsSettings: Sendable, Equatable {
    /// Whether events are exported at all.
    public var isEnabled: Bool
    /// Share of requests (0...1) that become events, unless an override says otherwise.
    public var sampleRate: Double
    /// Paths never measured (checked before the handler runs).
    public var exclusions: [PathPattern]
    /// Per-path sample rates; the first matching pattern wins.
    public var overrides: [RateOverride]
    /// 5xx responses and thrown errors are recorded whatever the sample rate.
    public var alwaysRecordsErrors: Bool
    /// The JSONL folder; nil means no file is written.
    public var directory: String?
    /// A JSONL file is rotated once it holds this many bytes...
    public var rotateBytes: Int
    /// ...or once it is this many seconds old.
    public var rotateSeconds: Int
    /// Rotated JSONL files kept, newest first (100 files of 10 MB: 1 GB at most); 0 keeps all.
    public var keepFiles: Int
    /// Also print every event as a JSON line on standard output (`PROFILING_METRICS_CONSOLE`):
    /// for a container whose stdout is collected, or a first look without a folder.
    public var printsToConsole: Bool

    /// The largest `PROFILING_METRICS_ROTATE_BYTES` accepted: 1 TB, more than any one file
    /// should grow to.
    public static let largestRotateBytes = 1_000_000_000_000
    /// The longest `PROFILING_METRICS_ROTATE_SECONDS` accepted: a year.
    public static let longestRotateSeconds = 366 * 24 * 3600
    /// The most `PROFILING_METRICS_KEEP_FILES` accepted; 0 (keep all) says "no limit" plainly.
    public static let mostKeptFiles = 1_000_000

    public init(
        isEnabled: Bool = false,
        sampleRate: Double = 1,
        exclusions: [PathPattern] = [],
        overrides: [RateOverride] = [],
        alwaysRecordsErrors: Bool = true,
        directory: String? = nil,
        rotateBytes: Int = 10_000_000,
        rotateSeconds: Int = 3600,
        keepFiles: Int = 100,
        printsToConsole: Bool = false
    ) {
        self.isEnabled = isEnabled
        self.sampleRate = sampleRate
        self.exclusions = exclusions
        self.overrides = overrides
        self.alwaysRecordsErrors = alwaysRecordsErrors
        self.directory = directory
        self.rotateBytes = rotateBytes
        self.rotateSeconds = rotateSeconds
        self.printsToConsole = printsToConsole
        self.keepFiles = keepFiles
    }
}
