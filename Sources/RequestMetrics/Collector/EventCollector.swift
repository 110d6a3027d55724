import DedicatedThreads
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Synchronization

/// Carries events from request threads to exporters without ever making a request wait.
///
/// `submit` takes one short lock, appends to a bounded queue and returns; when the queue is
/// full the event is dropped and counted instead. The queue is a list of batches of at most
/// `batchSize` events (recycled, so steady state allocates nothing): a dedicated background
/// thread swaps the whole list out (O(1) under the lock) and hands each batch to the
/// exporters outside the lock, without copying events, waking when a batch is full (half the
/// queue, when that is less) or every `flushInterval`. `shutdown` drains what was queued,
/// flushes and closes the exporters.
///
/// A thread rather than a Task: exporters do blocking file I/O, which must not occupy the
/// cooperative pool that serves requests. The thread runs until ``shutdown()``; a collector
/// that is never shut down lives (idle, waking each flush interval) as long as the process.
public final class EventCollector: @unchecked Sendable {
    // Everything below marked "guarded" is read and written only with `condition` locked.
    private let condition = MonotonicCondition()
    private var batches: [[MetricsEvent]] = []  // guarded; each at most batchSize events
    private var pendingCount = 0  // guarded; events in `batches`
    private var pendingTextBytes = 0  // guarded; the ``MetricsEvent/textBytes`` of `batches`
    private var emptyBatches: [[MetricsEvent]] = []  // guarded; exported batches for reuse
    private var dropped = 0  // guarded
    private var stopping = false  // guarded
    private var finished = false  // guarded
    private var drainerWaiting = false  // guarded
    private var disabledNames: [String] = []  // guarded
    private var shutdownWaiters: [Int: CheckedContinuation<Void, Never>] = [:]  // guarded
    private var nextWaiter = 0  // guarded
    private var shutdownDeadlines: [Task<Void, Never>] = []  // guarded

    /// Events that may wait in the queue; the batches being exported at that moment come on
    /// top, so memory is bounded by about twice this many events.
    public let capacity: Int
    /// Bytes of error and span texts that may wait in the queue (see
    /// ``MetricsEvent/textBytes``); an error or a span over it is dropped and counted like one
    /// over ``capacity``. A REQ_META event may carry 21 KB of texts (its cut exception texts and
    /// traceback): by count alone, a storm of errors while an exporter stalls (stdout piped to a
    /// stopped reader) could hold 10,000 of them, 210 MB, twice over with the batch being
    /// exported, enough for a container's memory limit to kill the server.
    public let textByteLimit: Int
    public let batchSize: Int
    /// Queued events that wake the drain thread before the flush interval: a batch's worth, or
    /// half the queue when that is less. Woken only by full batches, a queue no larger than a
    /// batch filled and dropped while the exporters idled until the next flush; half leaves
    /// room for the events that come while the thread wakes.
    let wakeCount: Int
    /// How long ``shutdown()`` waits for the drain: an exporter blocked in a `write` (stdout
    /// piped to a stalled log collector, a hung network file system) must not hang the
    /// server's shutdown until it is killed.
    public let shutdownTimeout: Duration
    private let flushIntervalSeconds: Double
    private let maximumFailures: Int
    private let logger: Logger
    private let slots: [ExporterSlot]  // drain thread only
    private let dropObservers: [any EventDropObserver]
    /// The drain thread's kernel id once it runs (Linux; 0 before), to find it in /proc.
    let drainThreadID = Atomic<Int32>(0)

    /// The default ``textByteLimit``: 16 MB, some 800 REQ_META events at their longest, tens of
    /// thousands of ordinary ones.
    public static let defaultTextByteLimit = 16 << 20

    /// The texts of the longest REQ_META event, as cut by ``FailureDescription`` (each text's
    /// limit, plus the note saying how much was cut): the smallest ``textByteLimit``, so that
    /// any event the library makes fits an empty queue.
    static let largestEventText =
        FailureDescription.typeLimit + FailureDescription.valueLimit + FailureDescription.tracebackLimit + 3 * 64

    /// The largest batch: each batch's storage is reserved up front, so a batch size of
    /// `Int.max` set in code would trap on the reservation.
    public static let largestBatchSize = 65_536

    /// - Parameters:
    ///   - textByteLimit: see ``textByteLimit`` (at least one full REQ_META event's worth).
    ///   - batchSize: events handed to the exporters at once, from 1 to ``largestBatchSize``.
    ///   - maximumFailures: failures in a row after which an exporter is disabled.
    ///   - exporterRetryInterval: how long a disabled exporter rests before it is tried again
    ///     (doubled after each failed try, up to an hour).
    ///   - flushInterval: from a millisecond to a day (a longer one is a day: in nanoseconds,
    ///     centuries would overflow on the drain thread).
    ///   - shutdownTimeout: see ``shutdownTimeout``.
    public init(
        exporters: [any EventExporter], capacity: Int = 10_000, textByteLimit: Int = defaultTextByteLimit,
        batchSize: Int = 256,
        flushInterval: Duration = .milliseconds(500), maximumFailures: Int = 5,
        exporterRetryInterval: Duration = .seconds(60), shutdownTimeout: Duration = .seconds(10), logger: Logger,
        dropObservers: [any EventDropObserver] = []
    ) {
        self.capacity = max(1, capacity)
        self.textByteLimit = max(Self.largestEventText, textByteLimit)
        self.batchSize = min(max(1, batchSize), Self.largestBatchSize)
        wakeCount = min(self.batchSize, max(1, self.capacity / 2))
        flushIntervalSeconds = min(max(0.001, Self.seconds(flushInterval)), Self.longestFlushInterval)
        self.shutdownTimeout = .seconds(min(max(0, Self.seconds(shutdownTimeout)), Self.longestFlushInterval))
        self.maximumFailures = max(1, maximumFailures)
        self.logger = logger
        let retrySeconds = Self.seconds(exporterRetryInterval)
        slots = exporters.map { ExporterSlot($0, retryInterval: retrySeconds) }
        for slot in slots where slot.disableIfNotStarted(logger: logger) == .disabled {
            disabledNames.append(slot.exporter.name)
        }
        self.dropObservers = dropObservers + exporters.compactMap { $0 as? any EventDropObserver }
        let thread = Thread { [self] in
            ThreadName.setCurrent("request-metrics")
            drainThreadID.store(Self.currentThreadID(), ordering: .releasing)
            drainLoop()
        }
        thread.start()
    }

    /// Queues an event for export. Never blocks on I/O and never throws: when the queue is full
    /// (or the collector has shut down) the event is dropped and counted.
    public func submit(_ event: MetricsEvent) {
        let textBytes = event.textBytes
        condition.lock()
        guard !stopping, pendingCount < capacity, textBytes <= textByteLimit - pendingTextBytes else {
            dropped += 1
            condition.unlock()
            return
        }
        pendingTextBytes += textBytes
        if batches.isEmpty || batches[batches.count - 1].count >= batchSize {
            batches.append(emptyBatches.popLast() ?? Self.emptyBatch(capacity: batchSize))
        }
        batches[batches.count - 1].append(event)
        pendingCount += 1
        let wake = drainerWaiting && pendingCount == wakeCount
        condition.unlock()
        if wake { condition.signal() }
    }

    /// Events dropped so far because the queue was full or the collector was shut down.
    public var droppedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return dropped
    }

    /// Names of the exporters disabled now, after repeated failures (each is tried again later).
    public var disabledExporters: [String] {
        condition.lock()
        defer { condition.unlock() }
        return disabledNames
    }

    /// Stops accepting events, exports everything already queued, flushes and closes the
    /// exporters. Safe to call more than once; every caller returns once the drain is done, or
    /// after ``shutdownTimeout`` (logged; the drain goes on in the background).
    public func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if finished {
                condition.unlock()
                continuation.resume()
                return
            }
            stopping = true
            let waiter = nextWaiter
            nextWaiter += 1
            shutdownWaiters[waiter] = continuation
            let timeout = shutdownTimeout
            shutdownDeadlines.append(
                Task { [self] in
                    guard (try? await Task.sleep(for: timeout)) != nil else { return }
                    giveUpWaiting(for: waiter)
                })
            condition.broadcast()
            condition.unlock()
        }
    }

    /// ``shutdown()`` for synchronous callers (e.g. a lifecycle hook); blocks the calling thread
    /// until the drain is done, or for ``shutdownTimeout`` at most.
    public func shutdownAndWait() {
        let deadline = ContinuousClock.now + shutdownTimeout
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { break }
            condition.wait(seconds: Self.seconds(left))
        }
        let done = finished
        condition.unlock()
        if !done { logDrainStillBusy() }
    }

    private func giveUpWaiting(for waiter: Int) {
        condition.lock()
        let continuation = shutdownWaiters.removeValue(forKey: waiter)
        condition.unlock()
        guard let continuation else { return }
        logDrainStillBusy()
        continuation.resume()
    }

    private func logDrainStillBusy() {
        logger.error(
            "metrics: shutdown did not wait for an exporter still busy; events not yet exported may be lost",
            metadata: ["waited_seconds": "\(Self.seconds(shutdownTimeout))"])
    }

    /// The longest flush interval and shutdown wait: a day.
    static let longestFlushInterval: Double = 86_400

    /// The calling thread's kernel id (Linux: from /proc/thread-self; `gettid` is not imported
    /// into Swift), 0 where there is none.
    static func currentThreadID() -> Int32 {
        #if canImport(Glibc)
        var path = [CChar](repeating: 0, count: 64)
        let count = readlink("/proc/thread-self", &path, path.count - 1)
        guard count > 0 else { return 0 }
        let target = String(decoding: path.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return Int32(target.split(separator: "/").last ?? "") ?? 0
        #else
        return 0
        #endif
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    private static func emptyBatch(capacity: Int) -> [MetricsEvent] {
        var batch: [MetricsEvent] = []
        batch.reserveCapacity(capacity)
        return batch
    }

    /// Deadlines are kept on the monotonic clock, and so are the waits (``MonotonicCondition``):
    /// a wall clock stepped back (NTP, a VM resumed) would otherwise hold a quiet server's
    /// events, and every flush, for as long as the step.
    private func drainLoop() {
        var taken: [[MetricsEvent]] = []
        let interval = Duration.nanoseconds(Int64(flushIntervalSeconds * 1e9))
        var nextFlush = ContinuousClock.now + interval
        var reportedDrops = 0
        while true {
            condition.lock()
            // Give back what the last round exported, emptied, for submit to refill.
            if emptyBatches.count < 64 { emptyBatches.append(contentsOf: taken.prefix(64 - emptyBatches.count)) }
            taken = []
            while pendingCount < wakeCount && !stopping {
                let left = ContinuousClock.now.duration(to: nextFlush)
                guard left > .zero else { break }
                drainerWaiting = true
                condition.wait(seconds: Self.seconds(left))
                drainerWaiting = false
            }
            swap(&batches, &taken)
            pendingCount = 0
            pendingTextBytes = 0
            let stop = stopping
            let droppedSoFar = dropped
            condition.unlock()

            report(drops: droppedSoFar, reported: &reportedDrops)
            if stop { for slot in slots { slot.tryAgainAtShutdown() } }
            for index in taken.indices {
                deliver(taken[index])
                taken[index].removeAll(keepingCapacity: true)
            }
            if stop {
                finish(reportedDrops: &reportedDrops)
                return
            }
            if ContinuousClock.now >= nextFlush {
                flushAll()
                nextFlush = ContinuousClock.now + interval
            }
        }
    }

    private func deliver(_ batch: [MetricsEvent]) {
        guard !batch.isEmpty else { return }
        for slot in slots {
            note(slot.attempt("export", retries: true, maximumFailures: maximumFailures, logger: logger, { try $0.export(batch) }), of: slot)
        }
    }

    private func flushAll() {
        for slot in slots {
            note(slot.attempt("flush", retries: false, maximumFailures: maximumFailures, logger: logger, { try $0.flush() }), of: slot)
        }
    }

    private func note(_ change: ExporterSlot.Change, of slot: ExporterSlot) {
        guard change != .none else { return }
        condition.lock()
        if change == .disabled {
            disabledNames.append(slot.exporter.name)
        } else if let index = disabledNames.firstIndex(of: slot.exporter.name) {
            disabledNames.remove(at: index)
        }
        condition.unlock()
    }

    private func report(drops: Int, reported: inout Int) {
        guard drops > reported else { return }
        for observer in dropObservers { observer.eventsDropped(drops - reported) }
        reported = drops
    }

    private func finish(reportedDrops: inout Int) {
        // Submits that raced the shutdown were counted as drops; report them before closing.
        report(drops: droppedCount, reported: &reportedDrops)
        flushAll()
        for slot in slots { slot.close(logger: logger) }
        condition.lock()
        finished = true
        let waiters = shutdownWaiters.values
        shutdownWaiters = [:]
        let deadlines = shutdownDeadlines
        shutdownDeadlines = []
        condition.broadcast()
        condition.unlock()
        for deadline in deadlines { deadline.cancel() }
        for waiter in waiters { waiter.resume() }
    }
}
