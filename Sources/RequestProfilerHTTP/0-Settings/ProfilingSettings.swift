import RequestProfiler
import RequestProfilerPyroscope

/// Everything the profiling middleware can be told, in one plain value.
///
/// Build it in code, or from the environment with ``init(environment:)`` (the `PROFILING_*`
/// variables documented in the README). The defaults are safe for production:
/// profiling is off, so nothing is sampled and the `profile` query parameter is ignored.
public struct ProfilingSettings: Sendable, Equatable {
    /// Switch of on-demand profiling (`?profile=1`). When false, and metrics, the dashboard
    /// and auto-capture are off too (their own switches), the middleware is a flag check and
    /// nothing else.
    public var isEnabled: Bool
    /// Sampling interval used unless a request asks for another with `profile_interval`.
    public var interval: Duration
    /// Report format used unless a request asks for another with `profile_format`.
    public var defaultFormat: ProfileFormat
    /// When set, every report is saved here and the original response is returned.
    public var outputDirectory: String?
    /// Free space a saved report (on demand or automatic) must leave on the reports folder's
    /// file system; one that would cross it is not written (logged, `X-Profile-Skipped`).
    public var reportsKeepFree: DiskReserve
    /// When true, each profiled request's text report is also written to the log.
    public var printsReports: Bool
    /// When set, a profiled request must carry this value in the `X-Profile-Token` header.
    /// Surrounding whitespace is ignored; a blank token lets no request in.
    public var token: String?
    /// How many requests may be profiled at the same time (each pins a sampled thread), from 1
    /// to ``mostConcurrentProfiles``.
    public var maximumConcurrentProfiles: Int
    /// The largest ``maximumConcurrentProfiles``: the sampler runs at most 64 sessions at once,
    /// and besides the profiled requests up to 17 kept automatic profiles wait to be saved
    /// (16 queued, one being built); 32 leaves room for both.
    public static let mostConcurrentProfiles = 32
    /// What happens to a profiling request that arrives while the limit is reached.
    public var overLimitPolicy: OverLimitPolicy
    /// Sampling stops after this long; the report is marked as truncated.
    public var maximumDuration: Duration
    /// Request metrics: events, exporters (README, "Request metrics, auto-capture and the dashboard").
    public var metrics: MetricsSettings
    /// The dashboard served under a path prefix.
    public var dashboard: DashboardSettings
    /// Automatic profiles of slow requests.
    public var autoCapture: AutoCaptureSettings
    /// Where captured profiles (on demand and automatic) are sent, when set: a Grafana
    /// Pyroscope server (`PROFILING_PYROSCOPE_URL`, `PROFILING_APP_NAME`,
    /// `PROFILING_PYROSCOPE_AUTH_HEADER`).
    public var pyroscope: PyroscopeSettings?
    /// Random source of the metrics sample rate and the auto-capture rate (code only; tests seed it).
    public var random: RandomSourceSetting
    /// `PROFILING_*` variables of the environment the settings were read from that are no
    /// setting (a misspelt name): the middleware logs each once at start.
    public var unrecognizedSettings: [UnrecognizedSetting] = []

    public init(
        isEnabled: Bool = false,
        interval: Duration = .milliseconds(1),
        defaultFormat: ProfileFormat = .html,
        outputDirectory: String? = nil,
        reportsKeepFree: DiskReserve = .standard,
        printsReports: Bool = false,
        token: String? = nil,
        maximumConcurrentProfiles: Int = 2,
        overLimitPolicy: OverLimitPolicy = .serveUnprofiled,
        maximumDuration: Duration = .seconds(30),
        metrics: MetricsSettings = MetricsSettings(),
        dashboard: DashboardSettings = DashboardSettings(),
        autoCapture: AutoCaptureSettings = AutoCaptureSettings(),
        pyroscope: PyroscopeSettings? = nil,
        random: RandomSourceSetting = .system
    ) {
        self.isEnabled = isEnabled
        self.interval = interval
        self.defaultFormat = defaultFormat
        self.outputDirectory = outputDirectory
        self.reportsKeepFree = reportsKeepFree
        self.printsReports = printsReports
        self.token = token
        self.maximumConcurrentProfiles = maximumConcurrentProfiles
        self.overLimitPolicy = overLimitPolicy
        self.maximumDuration = maximumDuration
        self.metrics = metrics
        self.dashboard = dashboard
        self.autoCapture = autoCapture
        self.pyroscope = pyroscope
        self.random = random
    }

    /// The directory `profile_save=1` writes to when ``outputDirectory`` is not set.
    public static let defaultSaveDirectory = "reports"
}
