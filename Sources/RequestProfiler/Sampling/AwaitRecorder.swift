import CSampler

/// Remembers where the profiled task was suspended, so idle samples can be attributed to the
/// awaiting frames (pyinstrument's async mode).
///
/// While a task is suspended no thread runs its code, so no sample can see its stack. But when
/// it is resumed its job is enqueued on our executor, and the job still describes the
/// suspension point: its resume function and async-context chain. Each enqueue is recorded
/// with its time; the idle samples just before it belong to that await.
final class AwaitRecorder: @unchecked Sendable {
    struct Record: Sendable {
        var wallNanoseconds: UInt64
        /// Resume addresses, innermost first (function entry points: not return addresses).
        var stack: [UInt]
    }

    /// Records kept with their stacks; later ones keep their time only (16 bytes, no heap), so
    /// their idle time shows under an await without its callers.
    static let mostStacks = 100_000
    /// Records kept at all: the sampler's own limit of samples, since each idle sample needs
    /// one record at most.
    static let mostRecords = Int(Profiler.Configuration.mostSamples)

    private let lock = Mutex()
    private var records: [Record] = []
    /// Records kept without their stack because ``mostStacks`` were reached.
    private var stacksLeftOut = 0
    /// The session's maximum duration, as a monotonic time: sampling stops there, so records
    /// after it serve no idle sample (a long stream under `?profile=1` kept recording every
    /// await until it ended). The first record past it is still kept: it is the resume that
    /// the idle samples before the deadline are attributed to.
    private let deadline: UInt64

    init(recordingUntil deadline: UInt64 = .max) {
        self.deadline = deadline
    }

    /// Records where the job's task was suspended. The executor calls it only for a job that
    /// arrives while its thread has nothing to run (the enqueue that ends an idle period):
    /// the only ones an idle sample can be attributed to.
    func record(_ job: UnownedJob) {
        let pointer = unsafeBitCast(job, to: UnsafeRawPointer.self)
        // No heap allocation unless there is a chain.
        let stack: [UInt] = withUnsafeTemporaryAllocation(of: UInt.self, capacity: 128) { buffer in
            let count = Int(rp_read_job_async_chain(pointer, buffer.baseAddress, Int32(buffer.count)))
            return count > 0 ? Array(buffer[0..<count]) : []
        }
        guard !stack.isEmpty else { return }
        append(stack: stack, at: rp_monotonic_ns())
    }

    /// Keeps one record, within the bounds: a handler that suspends millions of times must not
    /// grow the server's memory without end.
    func append(stack: [UInt], at wallNanoseconds: UInt64) {
        lock.withLock {
            guard records.count < Self.mostRecords, (records.last?.wallNanoseconds ?? 0) <= deadline else { return }
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
