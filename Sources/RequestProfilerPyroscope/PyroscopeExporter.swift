import Logging
import ProfileModel
import Synchronization

/// Sends captured profiles to Grafana Pyroscope's ingest API in the background.
///
/// `submit(profile:)` never blocks and never fails the caller: it puts the profile in a bounded
/// queue (or counts it as dropped when the queue is full) and returns. One background task
/// renders each profile as pprof and posts it (`PyroscopeIngestRequest`), retrying network
/// errors, 429 and 5xx with exponential backoff (`initialBackoff`, doubled each time, up to
/// `maximumAttempts` tries); a profile still not accepted is counted as failed and logged.
/// `shutdown()` stops taking profiles and waits until the queue is drained.
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

    public init(settings: PyroscopeSettings, transport: any PyroscopeTransport = URLSessionPyroscopeTransport(), logger: Logger = Logger(label: "RequestProfiler.Pyroscope")) {
        self.settings = settings
        let (stream, continuation) = AsyncStream<Profile>.makeStream(bufferingPolicy: .bufferingOldest(max(1, settings.queueCapacity)))
        self.continuation = continuation
        let counters = Counters()
        self.counters = counters
        let sender = Sender(settings: settings, transport: transport, logger: logger, counters: counters)
        worker = Task.detached(priority: .utility) {
            for await profile in stream {
                await sender.send(profile)
            }
        }
    }

    /// Queues `profile` for sending; returns false (and counts a drop) when the queue is full
    /// or the exporter is shut down. Never blocks.
    @discardableResult
    public func submit(profile: Profile) -> Bool {
        counters.update { $0.submitted += 1 }
        switch continuation.yield(profile) {
        case .enqueued:
            return true
        case .dropped, .terminated:
            counters.update { $0.dropped += 1 }
            return false
        @unknown default:
            counters.update { $0.dropped += 1 }
            return false
        }
    }

    /// Counts so far.
    public var statistics: PyroscopeExporterStatistics { counters.value }

    /// An exporter dropped without `shutdown()` still ends its sending task once the queue is empty.
    deinit {
        continuation.finish()
    }

    /// Stops taking profiles and returns once every queued profile was sent or given up.
    public func shutdown() async {
        continuation.finish()
        await worker.value
    }
}

/// The statistics behind a lock, shared by `submit` (any thread) and the sending task.
final class Counters: Sendable {
    private let state = Mutex(PyroscopeExporterStatistics())

    func update(_ body: (inout PyroscopeExporterStatistics) -> Void) {
        state.withLock { body(&$0) }
    }

    var value: PyroscopeExporterStatistics { state.withLock { $0 } }
}

/// Sends one profile with retries; runs on the exporter's background task only.
struct Sender: Sendable {
    let settings: PyroscopeSettings
    let transport: any PyroscopeTransport
    let logger: Logger
    let counters: Counters

    func send(_ profile: Profile) async {
        let request: PyroscopeIngestRequest
        do {
            request = try PyroscopeIngestRequest(profile: profile, settings: settings)
        } catch {
            counters.update { $0.failed += 1 }
            logger.error("Pyroscope export: the profile could not be rendered as pprof", metadata: ["error": "\(error)"])
            return
        }
        var backoff = settings.initialBackoff
        for attempt in 1...max(1, settings.maximumAttempts) {
            if attempt > 1 {
                counters.update { $0.retries += 1 }
                try? await Task.sleep(for: backoff)
                backoff *= 2
            }
            let outcome: String
            do {
                let status = try await transport.send(request, timeout: settings.requestTimeout)
                if (200..<300).contains(status) {
                    counters.update { $0.sent += 1 }
                    return
                }
                outcome = "HTTP \(status)"
                if status != 429 && (400..<500).contains(status) {
                    counters.update { $0.failed += 1 }
                    logger.error("Pyroscope export refused", metadata: ["status": "\(status)", "url": "\(settings.serverURL)"])
                    return
                }
            } catch {
                outcome = "\(error)"
            }
            logger.debug("Pyroscope export attempt failed", metadata: ["attempt": "\(attempt)", "outcome": "\(outcome)"])
        }
        counters.update { $0.failed += 1 }
        logger.warning("Pyroscope export gave up on a profile", metadata: ["attempts": "\(settings.maximumAttempts)", "url": "\(settings.serverURL)"])
    }
}
