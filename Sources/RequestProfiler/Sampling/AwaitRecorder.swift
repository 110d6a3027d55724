import CSampler
import Synchronization

/// Remembers where the profiled task was suspended, so idle samples can be attributed to the
/// awaiting frames (pyinstrument's async mode).
///
/// While a task is suspended no thread runs its code, so no sample can see its stack. But when
/// it is resumed its job is enqueued on our executor, and the job still describes the
/// suspension point: its resume function and async-context chain. Each enqueue is recorded
/// with its time, and then the time the thread woke to run it: the idle samples before that
/// wake-up belong to that await.
final class AwaitRecorder: @unchecked Sendable {
    struct Record: Sendable {
        /// When the job was enqueued (the await ended).
        var wallNanoseconds: UInt64
        /// Resume addresses, innermost first (function entry points: not return addresses).
        var stack: [UInt]
        /// When the sampled thread woke to run the job (it stopped being idle); `.max` until
        /// then. The thread stays idle from the enqueue to its wake-up (milliseconds on a busy
        /// server): those samples are this await's too, and were given to the next one (or
        /// dropped, after the last) when records were told apart by their enqueue times.
        var resumedNanoseconds: UInt64 = .max
    }

    /// Records kept with their stacks; later ones keep their time only (16 bytes, no heap), so
    /// their idle time shows under an await without its callers.
    static let mostStacks = 100_000
    /// Records kept at all, in any session: the sampler's own limit of samples, since each idle
    /// sample needs one record at most.
    static let mostRecords = Int(Profiler.Configuration.mostSamples)
    /// Records this session keeps: its own sample capacity (about 33,000 for 30 s at 1 ms) and
    /// two, for the same reason; 4 million records were 64 MB a session. Reached only by records
    /// that serve a sample: one whose idle period no sample fell in is dropped when the thread
    /// wakes (``resumed(at:samplesSoFar:)``), so a handler with many short awaits does not use
    /// up the room before its later, longer ones.
    let recordLimit: Int
    /// The sampler's sample count at the last wake-up; nil before the first.
    private var samplesAtLastWake: UInt32?

    private let lock = Mutex()
    private var records: [Record] = []
    /// Async-context chains read by ``record(_:)`` (tests count them).
    let chainsRead = Atomic<Int>(0)
    /// Records kept without their stack because ``mostStacks`` were reached.
    private var stacksLeftOut = 0
    /// The session's maximum duration, as a monotonic time: sampling stops there, so records
    /// after it serve no idle sample (a long stream under `?profile=1` kept recording every
    /// await until it ended). The first record past it is still kept: it is the resume that
    /// the idle samples before the deadline are attributed to.
    private let deadline: UInt64

    init(recordingUntil deadline: UInt64 = .max, recordLimit: Int = AwaitRecorder.mostRecords) {
        self.deadline = deadline
        self.recordLimit = min(max(1, recordLimit), Self.mostRecords - 2) + 2
    }

    /// Records where the job's task was suspended. The executor calls it only for a job that
    /// arrives while its thread has nothing to run (the enqueue that ends an idle period):
    /// the only ones an idle sample can be attributed to.
    func record(_ job: UnownedJob) {
        // Asked first: past the deadline or the limit the record is thrown away, and reading
        // the chain takes system calls (each context is probed), made under the executor's
        // lock. A stream profiled past its maximum duration paid them on every resume.
        let (kept, withStack) = lock.withLock {
            (records.count < recordLimit && (records.last?.wallNanoseconds ?? 0) <= deadline, records.count < Self.mostStacks)
        }
        guard kept else { return }
        guard withStack else { return append(stack: [], at: rp_monotonic_ns()) }
        chainsRead.add(1, ordering: .relaxed)
        let pointer = unsafeBitCast(job, to: UnsafeRawPointer.self)
        // No heap allocation unless there is a chain.
        let stack: [UInt] = withUnsafeTemporaryAllocation(of: UInt.self, capacity: 128) { buffer in
            let count = Int(rp_read_job_async_chain(pointer, buffer.baseAddress, Int32(buffer.count)))
            return count > 0 ? Array(buffer[0..<count]) : []
        }
        // A job without a readable chain is recorded too (its idle time shows as a bare
        // `[await]`): left out, its idle time went to the next await recorded.
        append(stack: stack, at: rp_monotonic_ns())
    }

    /// The sampled thread woke (its idle flag is cleared): the await recorded last, if not yet
    /// resumed, ends here. Called on the sampled thread after the flag is cleared, so every
    /// idle sample of the period is older.
    ///
    /// - Parameter samplesSoFar: the sampler's count of samples now. Unchanged since the last
    ///   wake-up, no sample fell in this await's idle period: its record can serve none and
    ///   is dropped (but the first, which marks where the work began).
    func resumed(at nanoseconds: UInt64, samplesSoFar: UInt32) {
        lock.withLock {
            defer { samplesAtLastWake = samplesSoFar }
            guard let last = records.indices.last, records[last].resumedNanoseconds == .max else { return }
            if last > 0, samplesAtLastWake == samplesSoFar {
                if last >= Self.mostStacks { stacksLeftOut -= 1 }
                records.removeLast()
                return
            }
            records[last].resumedNanoseconds = max(nanoseconds, records[last].wallNanoseconds)
        }
    }

    /// Keeps one record, within the bounds: a handler that suspends millions of times must not
    /// grow the server's memory without end.
    func append(stack: [UInt], at wallNanoseconds: UInt64) {
        lock.withLock {
            guard records.count < recordLimit, (records.last?.wallNanoseconds ?? 0) <= deadline else { return }
            if records.count < Self.mostStacks {
                records.append(Record(wallNanoseconds: wallNanoseconds, stack: stack))
            } else {
                stacksLeftOut += 1
                records.append(Record(wallNanoseconds: wallNanoseconds, stack: []))
            }
        }
    }

    var all: [Record] { lock.withLock { records } }

    /// Says so when records were kept without their stacks; nil otherwise.
    var note: String? {
        let leftOut = lock.withLock { stacksLeftOut }
        guard leftOut > 0 else { return nil }
        return "the task was resumed more than \(Self.mostStacks) times: the idle time of the last \(leftOut) awaits shows without their callers"
    }
}
