import DedicatedThreads
import Logging
import ProfileModel
import Synchronization

/// Sends captured profiles to Grafana Pyroscope's ingest API in the background.
///
/// `submit(profile:)` never blocks and never fails the caller: it puts the profile in a bounded
/// queue (or counts it as dropped when the queue is full) and returns. One background task
/// has each profile rendered as pprof on a thread of its own (`ReportBuildThread.exports`:
/// grouping and gzip are blocking work, kept off the cooperative pool like every other
/// report's rendering) and posts it (`PyroscopeIngestRequest`), retrying network
/// errors, 408, 429 and 5xx with exponential backoff (`initialBackoff`, doubled each time, up to
/// `maximumAttempts` tries); a profile still not accepted is counted as failed and logged.
/// `shutdown()` stops taking profiles and waits until the queue is drained, for 10 seconds at
/// most: an unreachable server would otherwise hold a graceful shutdown for the tries of every
/// queued profile (64 profiles of four 10-second timeouts: three quarters of an hour).
///
/// ```swift
/// if let settings = try PyroscopeSettings(environment: ProcessInfo.processInfo.environment) {
///     let exporter = PyroscopeExporter(settings: settings, logger: logger)
///     exporter.submit(profile: profile)   // from a request's completion, any thread
///     await exporter.shutdown()           // at server shutdown
/// }
/// ```
public final class PyroscopeExporter: Sendable {
    public let settings: PyroscopeSettings
    private let continuation: AsyncStream<Profile>.Continuation
    private let worker: Task<Void, Never>
    private let counters: Counters
    private let logger: Logger

    public convenience init(settings: PyroscopeSettings, transport: any PyroscopeTransport = URLSessionPyroscopeTransport(), logger: Logger = Logger(label: "RequestProfiler.Pyroscope")) {
        self.init(settings: settings, transport: transport, logger: logger, renderingOn: .exports)
    }

    /// `renderer`: where each profile is rendered as pprof (tests: a thread of their own, to
    /// see that the rendering went there).
    init(settings: PyroscopeSettings, transport: any PyroscopeTransport, logger: Logger, renderingOn renderer: ReportBuildThread) {
        self.settings = settings
        // Said once: the series the profiles are filed under is not the one named in code.
        if settings.usableApplicationName != settings.applicationName {
            logger.warning(
                "Pyroscope export: the application name holds characters other than letters, digits, '.', '-' and '_', or none; \(settings.usableApplicationName) is used",
                metadata: ["applicationName": "\(settings.applicationName)"])
        }
        let (stream, continuation) = AsyncStream<Profile>.makeStream(bufferingPolicy: .bufferingOldest(max(1, settings.queueCapacity)))
        self.continuation = continuation
        let counters = Counters()
        self.counters = counters
        self.logger = logger
        let sender = Sender(settings: settings, transport: transport, logger: logger, counters: counters, renderer: renderer)
        worker = Task.detached(priority: .utility) {
            for await profile in stream {
                guard !Task.isCancelled else { break }
                await sender.send(profile)
            }
            counters.markWorkerFinished()
        }
    }

    /// Queues `profile` for sending; returns false (and counts a drop) when the queue is full
    /// or the exporter is shut down. Never blocks.
    @discardableResult
    public func submit(profile: Profile) -> Bool {
        // Counted and queued under one lock: a shutdown that gives up meanwhile finds the
        // profile either not submitted yet or queued (abandoned), never submitted but not yet
        // queued, which it counted as abandoned and the failed queueing then as dropped too.
        counters.update { statistics in
            statistics.submitted += 1
            switch continuation.yield(profile) {
            case .enqueued:
                return true
            case .dropped, .terminated:
                statistics.dropped += 1
                return false
            @unknown default:
                statistics.dropped += 1
                return false
            }
        }
    }

    /// Counts so far.
    public var statistics: PyroscopeExporterStatistics { counters.value }

    /// An exporter dropped without `shutdown()` still ends its sending task once the queue is empty.
    deinit {
        continuation.finish()
    }

    /// Stops taking profiles and returns once every queued profile was sent or given up, or
    /// once `limit` has passed: then the profiles still queued or being sent are abandoned,
    /// counted (``PyroscopeExporterStatistics/abandoned``) and logged, and the sending task is
    /// cancelled. The wait holds in a cancelled task too (a service group cancels its services
    /// before their graceful shutdown runs). Returns whether every profile was sent or given up.
    @discardableResult
    public func shutdown(waitingAtMost limit: Duration = .seconds(10)) async -> Bool {
        continuation.finish()
        // Bounded so that the deadline's arithmetic cannot overflow.
        let wait = min(max(limit, .zero), .seconds(24 * 3600))
        // An unstructured task does not inherit the caller's cancellation, so its sleeps wait.
        let finished = await Task { [counters] in
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: wait)
            // Polled: a task awaiting the worker's value could not stop waiting at the deadline,
            // and a transport need not honour cancellation.
            while !counters.isWorkerFinished && clock.now < deadline {
                try? await Task.sleep(for: .milliseconds(10))
            }
            return counters.isWorkerFinished
        }.value
        guard !finished else { return !counters.wasAbandoned }
        worker.cancel()
        let abandoned = counters.abandonTheRest()
        if abandoned > 0 {
            logger.warning(
                "Pyroscope export: shutdown stopped waiting for the server; profiles not sent",
                metadata: ["abandoned": "\(abandoned)", "url": "\(settings.serverURLForLogs)"])
        }
        return !counters.wasAbandoned
    }
}

/// The statistics behind a lock, shared by `submit` (any thread) and the sending task.
final class Counters: Sendable {
    private struct State {
        var statistics = PyroscopeExporterStatistics()
        /// Set when shutdown abandoned the rest: the sending task, which may still finish a
        /// send it could not interrupt, no longer counts, so every profile is counted once.
        var isAbandoned = false
        var isWorkerFinished = false
    }

    private let state = Mutex(State())

    /// For `submit`: always counted.
    func update<Result>(_ body: (inout PyroscopeExporterStatistics) -> Result) -> Result {
        state.withLock { body(&$0.statistics) }
    }

    /// For the sending task: ignored once shutdown abandoned the rest.
    func updateFromSender(_ body: (inout PyroscopeExporterStatistics) -> Void) {
        state.withLock { state in
            if !state.isAbandoned { body(&state.statistics) }
        }
    }

    func markWorkerFinished() { state.withLock { $0.isWorkerFinished = true } }

    var isWorkerFinished: Bool { state.withLock { $0.isWorkerFinished } }

    /// Counts every profile not yet sent, dropped or failed as abandoned; returns how many.
    /// With none left nothing changes: no send is under way whose end must be ignored.
    func abandonTheRest() -> Int {
        state.withLock { state in
            guard !state.isAbandoned else { return 0 }
            let statistics = state.statistics
            let abandoned = max(0, statistics.submitted - statistics.sent - statistics.dropped - statistics.failed)
            guard abandoned > 0 else { return 0 }
            state.isAbandoned = true
            state.statistics.abandoned = abandoned
            return abandoned
        }
    }

    /// Whether a shutdown abandoned profiles.
    var wasAbandoned: Bool { state.withLock { $0.isAbandoned } }

    var value: PyroscopeExporterStatistics { state.withLock { $0.statistics } }
}

/// Sends one profile with retries; runs on the exporter's background task only.
struct Sender: Sendable {
    let settings: PyroscopeSettings
    let transport: any PyroscopeTransport
    let logger: Logger
    let counters: Counters
    /// Where the profile is rendered: not the cooperative pool, whose one thread per core
    /// serves requests (grouping a long profile's samples and gzipping them blocks a thread).
    let renderer: ReportBuildThread

    /// Whether a try answered with `status` (not 2xx) may succeed when made again: 5xx, 429,
    /// and 408, which is no refusal of the profile: Pyroscope answers it when reading the body
    /// failed, and proxies when the body came too slowly. Any other 4xx is final.
    static func isWorthRetrying(_ status: Int) -> Bool {
        !(400..<500).contains(status) || status == 408 || status == 429
    }

    func send(_ profile: Profile) async {
        let request: PyroscopeIngestRequest
        do {
            request = try await withTaskExecutorPreference(renderer) { [settings] in
                try PyroscopeIngestRequest(profile: profile, settings: settings)
            }
        } catch {
            counters.updateFromSender { $0.failed += 1 }
            logger.error("Pyroscope export: the profile could not be rendered as pprof", metadata: ["error": "\(error)"])
            return
        }
        let longest = PyroscopeSettings.longestBackoff
        var backoff = min(max(settings.initialBackoff, .zero), longest)
        let attempts = min(max(1, settings.maximumAttempts), PyroscopeSettings.mostAttempts)
        for attempt in 1...attempts {
            if attempt > 1 {
                counters.updateFromSender { $0.retries += 1 }
                // Cancelled: shutdown stopped waiting, and counted this profile as abandoned.
                guard (try? await Task.sleep(for: backoff)) != nil else { return }
                backoff = backoff > longest / 2 ? longest : backoff * 2
            }
            guard !Task.isCancelled else { return }
            let outcome: String
            do {
                let status = try await transport.send(request, timeout: settings.usableRequestTimeout)
                if (200..<300).contains(status) {
                    counters.updateFromSender { $0.sent += 1 }
                    return
                }
                outcome = "HTTP \(status)"
                if !Self.isWorthRetrying(status) {
                    counters.updateFromSender { $0.failed += 1 }
                    logger.error("Pyroscope export refused", metadata: ["status": "\(status)", "url": "\(settings.serverURLForLogs)"])
                    return
                }
            } catch {
                // Not "\(error)": a URLError prints the whole URL it failed on.
                outcome = TransportErrorText.describe(error)
            }
            logger.debug("Pyroscope export attempt failed", metadata: ["attempt": "\(attempt)", "outcome": "\(outcome)"])
        }
        counters.updateFromSender { $0.failed += 1 }
        logger.warning("Pyroscope export gave up on a profile", metadata: ["attempts": "\(attempts)", "url": "\(settings.serverURLForLogs)"])
    }
}
