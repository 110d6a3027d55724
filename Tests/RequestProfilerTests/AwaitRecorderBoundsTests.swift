import CSampler
import Dispatch
import Synchronization
import Testing

@testable import RequestProfiler

/// The await records a session keeps stay bounded: a handler that resumes millions of times
/// (a `Task.yield()` loop, an endless stream) must not grow the server's memory without end.
@Suite(.serialized)
struct AwaitRecorderBoundsTests {
    /// Only an enqueue that ends an idle period is recorded: a `Task.yield()` loop re-queues
    /// its job from the job itself, while the thread is busy, and each of those was recorded
    /// (a chain read and a heap array per yield) though no idle sample could use it.
    @Test func enqueuesWhileTheThreadIsBusyAreNotRecorded() async throws {
        let recorded = Counter()
        let executor = try SampledThreadExecutorPool.take(onIdle: { _ in }, onEnqueue: { _ in recorded.add() })
        await withTaskExecutorPreference(executor) {
            for _ in 0..<5_000 { await Task.yield() }
        }
        await executor.stopAndAwaitRelease()
        executor.sessionEnded()
        #expect(recorded.value < 50, "\(recorded.value) of 5,000 yields recorded")
        #expect(recorded.value >= 1, "the first job, which wakes the thread, is recorded")
    }

    /// Past ``AwaitRecorder/mostStacks`` records keep their time only, and the profile says so.
    @Test func recordsPastTheLimitKeepTheirTimeOnly() {
        let recorder = AwaitRecorder()
        #expect(recorder.note == nil)
        for index in 0..<(AwaitRecorder.mostStacks + 5) {
            recorder.append(stack: [0x1000, 0x2000], at: UInt64(index))
        }
        let all = recorder.all
        #expect(all.count == AwaitRecorder.mostStacks + 5)
        #expect(all[AwaitRecorder.mostStacks - 1].stack == [0x1000, 0x2000])
        #expect(all.suffix(5).allSatisfy { $0.stack.isEmpty })
        #expect(recorder.note?.contains("last 5 awaits") == true, "\(recorder.note ?? "no note")")
    }

    /// Past its maximum duration a session records one more await, the resume its last idle
    /// samples belong to, and then none: a long stream under `?profile=1` recorded every await
    /// until it ended.
    @Test func aSessionRecordsOneAwaitPastItsDeadline() {
        let recorder = AwaitRecorder(recordingUntil: 100)
        for time in [50, 100, 160, 170, 180] { recorder.append(stack: [0x1000], at: UInt64(time)) }
        #expect(recorder.all.map(\.wallNanoseconds) == [50, 100, 160])
    }

    /// Past the deadline no chain is read at all: reading one probes each context with system
    /// calls, under the executor's lock, and a stream profiled past its maximum duration paid
    /// that on every resume until it ended, for records thrown away.
    @Test func noChainIsReadPastTheDeadline() async throws {
        let recorder = AwaitRecorder(recordingUntil: rp_monotonic_ns())
        let executor = try SampledThreadExecutorPool.take(onIdle: { _ in }, onEnqueue: { job in recorder.record(job) })
        await withTaskExecutorPreference(executor) {
            for _ in 0..<500 {
                // Resumed from another thread while this one waits: an enqueue that ends an
                // idle period, the kind that is recorded.
                await withCheckedContinuation { continuation in DispatchQueue.global().async { continuation.resume() } }
            }
        }
        await executor.stopAndAwaitRelease()
        executor.sessionEnded()
        #expect(recorder.all.count == 1, "one record past the deadline: the resume its idle samples belong to")
        #expect(recorder.chainsRead.load(ordering: .relaxed) <= 1, "\(recorder.chainsRead.load(ordering: .relaxed)) chains read")
    }

    /// A session whose handler yields many times still profiles, with few await records.
    @Test func aYieldingHandlerIsProfiledWithoutRecordingEveryYield() async throws {
        let session = try Profiler().start()
        let sum = await session.run {
            defer { session.endRuns() }
            var sum = 0
            for index in 0..<20_000 {
                sum &+= index
                await Task.yield()
            }
            return sum
        }
        let profile = await session.stop()
        #expect(sum > 0)
        #expect(profile.sampleCount > 0)
        #expect(!profile.metadata.notes.contains { $0.contains("resumed more than") })
    }
}

/// Counts calls from any thread.
private final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .acquiring) }
    func add() { count.add(1, ordering: .acquiringAndReleasing) }
}
