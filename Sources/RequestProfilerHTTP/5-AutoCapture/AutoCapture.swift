import Logging
import RequestMetrics
import RequestProfiler
import Synchronization

/// Profiles a share of requests without `?profile=1` and keeps the reports of the slow ones.
///
/// An automatic profile takes a slot of the same ``ConcurrencyLimiter`` as `?profile=1`, with
/// `tryAcquire`: when none is free the request is simply not profiled, so auto-capture never
/// makes a request wait or fail. The report is json (the data the dashboard and the aggregate
/// tools read), rendered only when the request turned out slow, and then after its response
/// (see ``BackgroundSaves``); fast ones are thrown away. The slot is held while the handler
/// runs (building and saving the report come after it); one slot is left to `?profile=1`.
/// A class, because every request looks at it: copying one reference is cheaper than copying
/// a struct of many.
public final class AutoCapture: Sendable {
    public let settings: AutoCaptureSettings
    public let rule: SlowRequestRule
    public let directory: String
    /// Free space a kept report must leave on the reports folder's file system.
    public let diskReserve: DiskReserve
    public let registry: CapturedProfileRegistry
    /// How an automatic profile is sampled: the configured interval and limit, json, saved.
    public let plan: ProfilingPlan
    let random: any MetricsRandomSource
    let limiter: ConcurrencyLimiter
    /// The handler times of the routes' recent automatic profiles.
    let profiledDurations = ProfiledDurations()
    /// Builds and saves kept profiles after their responses, one at a time.
    let saves = BackgroundSaves()
    /// Automatic profiles that could not start, said once a minute at most.
    let startFailures = ThrottledWarning()
    /// Kept reports that could not be saved, said once a minute at most: an unwritable folder
    /// during an incident, when every picked request is slow, was one error per request.
    let saveFailures = ThrottledWarning()
    /// Kept profiles dropped because too many already waited to be saved, likewise.
    let droppedSaves = ThrottledWarning()
    /// Whether a report that could not be written pauses auto-capture for
    /// ``pauseAfterFailedSave``: without Pyroscope a profile that cannot be saved is only
    /// work thrown away (sampled, then built for tens of ms); with it, it is still sent.
    let pausesAfterFailedSave: Bool
    /// How long auto-capture rests after a report could not be written (the folder gone or
    /// unwritable, the disk nearly full), in nanoseconds.
    static let pauseAfterFailedSave: UInt64 = 10_000_000_000
    /// Monotonic nanoseconds until which no request is picked; 0: not paused.
    private let pausedUntil = Atomic<UInt64>(0)
    let logger: Logger
    private let remover: AutomaticReportRemover

    public init(
        settings: AutoCaptureSettings, directory: String, random: any MetricsRandomSource,
        limiter: ConcurrencyLimiter, registry: CapturedProfileRegistry, logger: Logger,
        samplingInterval: Duration, maximumDuration: Duration, diskReserve: DiskReserve = .standard,
        pausesAfterFailedSave: Bool = true
    ) {
        self.settings = settings
        self.pausesAfterFailedSave = pausesAfterFailedSave
        self.plan = ProfilingPlan(
            format: .json, interval: samplingInterval, maximumDuration: maximumDuration,
            delivery: .save(directory: directory), printsReport: false)
        self.rule = SlowRequestRule(fixedThreshold: settings.slowerThan, shortestKept: samplingInterval)
        self.directory = directory
        self.diskReserve = diskReserve
        self.random = random
        self.limiter = limiter
        self.registry = registry
        self.logger = logger
        self.remover = AutomaticReportRemover(directory: directory, logger: logger)
        // Reports of earlier runs (listed by the registry's index) count against the cap too,
        // perhaps a larger one then: without this each restart left its reports behind.
        remover.remove(registry.evictAutomatic(keepingPerRoute: settings.keepPerRoute))
    }

    /// True when this request is picked and a profiling slot was free (and auto-capture does
    /// not rest after a failed save); the slot is then held until ``finished()``, when the
    /// handler returns.
    ///
    /// With a limit of two or more, automatic profiles leave one slot to `?profile=1`: a picked
    /// request holds its slot as long as its handler runs (sampling stops at the maximum
    /// duration, but the handler stays pinned to the sampled thread), so a few long polls or
    /// streams picked at random could otherwise lock a developer out of profiling for minutes.
    public func begin() -> Bool {
        guard settings.rate > 0 else { return false }
        guard settings.rate >= 1 || random.nextUnitInterval() < settings.rate else { return false }
        let resting = pausedUntil.load(ordering: .relaxed)
        if resting != 0 {
            guard MetricsClock.system.monotonicNanoseconds() >= resting else { return false }
            _ = pausedUntil.compareExchange(expected: resting, desired: 0, ordering: .relaxed)
        }
        return limiter.tryAcquire(leaving: limiter.limit >= 2 ? 1 : 0)
    }

    /// Frees the slot ``begin()`` took.
    public func finished() {
        limiter.release()
    }

    /// Whether a request whose handler took `durationNanoseconds` was slow enough to keep its
    /// report, judged against `stats` before this request is recorded there. Asked before the
    /// profile is built, so that a fast request's profile is never unwound or symbolized.
    /// Every call also records `duration` among the route's profiled requests (the p95 rule
    /// compares a request with them too; see ``SlowRequestRule``).
    public func isSlow(durationNanoseconds duration: UInt64, method: String, route: String, stats: StatsStore?) -> Bool {
        // Without a stats store, its default window.
        let window = stats.map { UInt64($0.windowSeconds) * 1_000_000_000 }
            ?? UInt64(StatsStore.defaultWindow.components.seconds) * 1_000_000_000
        let profiled = rule.fixedThreshold == nil
            ? profiledDurations.p95ThenRecord(
                method: method, route: route, durationNanoseconds: duration, at: MetricsClock.system.monotonicNanoseconds(), window: window)
            : nil
        return rule.isSlow(durationNanoseconds: duration, method: method, route: route, stats: stats, profiled: profiled)
    }

    /// Saves the report of a request ``isSlow(durationNanoseconds:method:route:stats:)`` kept,
    /// registers it, and deletes the route's oldest automatic reports beyond
    /// ``AutoCaptureSettings/keepPerRoute``. Returns the saved file name, or nil when the
    /// report could not be written (logged).
    public func save(
        _ profile: Profile, durationNanoseconds duration: UInt64, method: String, route: String, status: Int,
        timestampNanoseconds: UInt64
    ) -> String? {
        let report: RenderedReport
        do {
            report = try profile.render(as: .json)
        } catch {
            // The profile's fault, not the folder's: no rest.
            if let leftOut = saveFailures.shouldLog(at: MetricsClock.system.monotonicNanoseconds()) {
                logger.error(
                    "request profiler: could not render an automatic report: \(error)\(ThrottledWarning.leftOutNote(leftOut)); said at most once a minute")
            }
            return nil
        }
        let saved: String
        do {
            // Named by the handler's time, as profiles.json and the dashboard list it (the
            // profile's own also holds starting and stopping the session).
            let name = ReportSink.fileName(for: profile, fileExtension: report.fileExtension, durationNanoseconds: duration)
            saved = try ReportWriter(directory: directory, keepingFree: diskReserve).write(Array(report.bytes), as: name)
        } catch {
            let now = MetricsClock.system.monotonicNanoseconds()
            if pausesAfterFailedSave { pausedUntil.store(now &+ Self.pauseAfterFailedSave, ordering: .relaxed) }
            if let leftOut = saveFailures.shouldLog(at: now) {
                let pause = pausesAfterFailedSave ? "; automatic profiles rest for \(Self.pauseAfterFailedSave / 1_000_000_000) s after each failure" : ""
                logger.error(
                    "request profiler: could not save an automatic report in \(directory): \(ReportSink.reason(error))\(ThrottledWarning.leftOutNote(leftOut))\(pause); said at most once a minute")
            }
            return nil
        }
        let entry = CapturedProfile(
            file: saved, method: method, route: route, status: status, durationNanoseconds: duration,
            timestampNanoseconds: timestampNanoseconds, trigger: .auto)
        remover.remove(registry.register(entry, keepPerRoute: settings.keepPerRoute))
        return saved
    }
}
