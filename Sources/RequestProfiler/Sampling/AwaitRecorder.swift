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

    private let lock = Mutex()
    private var records: [Record] = []

    func record(_ job: UnownedJob) {
        let pointer = unsafeBitCast(job, to: UnsafeRawPointer.self)
        // Runs on every enqueue of a profiled task: no heap allocation unless there is a chain.
        let stack: [UInt] = withUnsafeTemporaryAllocation(of: UInt.self, capacity: 128) { buffer in
            let count = Int(rp_read_job_async_chain(pointer, buffer.baseAddress, Int32(buffer.count)))
            return count > 0 ? Array(buffer[0..<count]) : []
        }
        guard !stack.isEmpty else { return }
        let record = Record(wallNanoseconds: rp_monotonic_ns(), stack: stack)
        lock.withLock { records.append(record) }
    }

    var all: [Record] { lock.withLock { records } }
}
