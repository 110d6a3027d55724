import CSampler
import Testing
import RequestProfiler

/// Profiling from the main actor (top-level code in main.swift, any `@MainActor` function).
/// The main thread is not the sampled one, so work that stayed on it would give an empty
/// profile with nothing saying why.
@Suite(.serialized)
struct MainActorProfilingTests {
    /// The kernel id of the calling thread: compared with the profile's `threadID`.
    private static func currentThreadID() -> Int {
        var tid: pid_t = 0
        var low: UInt = 0, high: UInt = 0
        _ = rp_current_thread_info(&tid, &low, &high)
        return Int(tid)
    }

    @MainActor
    @Test func synchronousWorkCalledFromTheMainActorIsSampled() async throws {
        let caller = Self.currentThreadID()
        let ((value, worker), profile) = try await Profiler().profile {
            (busyAlpha(milliseconds: 300), Self.currentThreadID())
        }
        #expect(value != 0)
        #expect(worker == profile.metadata.threadID, "the work ran on thread \(worker), the sampled thread is \(profile.metadata.threadID)")
        #expect(worker != caller)
        #expect(profile.samples(through: "busyAlpha").count > 100, "\(profile.samples(through: "busyAlpha").count) samples in busyAlpha, \(profile.sampleCount) in all")
        #expect(profile.metadata.notes.isEmpty, "\(profile.metadata.notes)")
    }

    @MainActor
    @Test func asyncWorkCalledFromTheMainActorIsSampled() async throws {
        let (_, profile) = try await Profiler().profile { await asyncOuter() }
        #expect(profile.samples(through: "asyncInner").count > 50, "\(profile.samples(through: "asyncInner").count) samples in asyncInner")
    }

    /// `session.run` keeps the caller's isolation (frameworks pass it non-Sendable handlers),
    /// so from the main actor its work runs on the main thread: the profile must say why it
    /// has none of the work's samples.
    @MainActor
    @Test func sessionRunFromTheMainActorExplainsWhyNothingWasSampled() async throws {
        let session = try Profiler().start()
        _ = await session.run { busyAlpha(milliseconds: 100) }
        let profile = await session.stop()
        #expect(profile.samples(through: "busyAlpha").isEmpty)
        #expect(profile.metadata.notes.contains { $0.contains("not sampled") && $0.contains("@MainActor") }, "\(profile.metadata.notes)")
    }

    @Test func sessionRunFromNonisolatedCodeHasNoSuchNote() async throws {
        let session = try Profiler().start()
        _ = await session.run { busyAlpha(milliseconds: 50) }
        let profile = await session.stop()
        #expect(profile.samples(through: "busyAlpha").count > 10)
        #expect(!profile.metadata.notes.contains { $0.contains("not sampled") }, "\(profile.metadata.notes)")
    }
}
