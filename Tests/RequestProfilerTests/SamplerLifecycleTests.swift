import Testing
import CSampler
import RequestProfiler
#if canImport(Glibc)
import Glibc
#endif

@Suite(.serialized)
struct SamplerLifecycleTests {
    @Test func thousandsOfStartStopCyclesLeaveNothingBehind() async throws {
        let profiler = Profiler()
        // Warm-up cycles load the symbolizer, libunwind and the runtime's threads; libdw keeps
        // each image it has read open (a cache bounded by the number of images), so count
        // only after those.
        for cycle in 0..<1_000 { _ = try await profiler.profile { cycle } }
        let threads = procEntryCount("/proc/self/task")
        let descriptors = nonImageDescriptorCount()
        let timers = rp_process_timer_count()
        for cycle in 0..<10_000 {
            let (value, profile) = try await profiler.profile { cycle }
            #expect(value == cycle)
            if cycle % 1000 == 0 { #expect(profile.metadata.droppedSamples == 0) }
        }
        #expect(rp_process_timer_count() == timers)
        // A leak would leave thousands behind. The runtime's thread pool may still be winding
        // down, so let it settle (with usleep: Task.sleep would start Dispatch's timer thread).
        var settledThreads = procEntryCount("/proc/self/task")
        var settledDescriptors = nonImageDescriptorCount()
        for _ in 0..<50 where settledThreads > threads || settledDescriptors > descriptors {
            usleep(20_000)
            settledThreads = procEntryCount("/proc/self/task")
            settledDescriptors = nonImageDescriptorCount()
        }
        #expect(settledThreads <= threads)
        #expect(settledDescriptors <= descriptors, "open descriptors: \(openDescriptors())")
    }

    @Test func codeThatMallocsLoadsLibrariesReadsWritesSleepsAndPollsIsUnharmed() async throws {
        let expected = syscallHeavyWorkload(rounds: 40)
        let profiler = Profiler(configuration: .init(interval: .microseconds(100)))
        let (checksum, profile) = try await profiler.profile { syscallHeavyWorkload(rounds: 40) }
        #expect(checksum == expected)
        #expect(profile.sampleCount > 100)
        #expect(profile.containsFrame(named: "syscallHeavyWorkload"))
        // Several concurrent sessions doing the same.
        try await withThrowingTaskGroup(of: UInt64.self) { group in
            for _ in 0..<3 {
                group.addTask { try await profiler.profile { syscallHeavyWorkload(rounds: 15) }.0 }
            }
            let small = syscallHeavyWorkload(rounds: 15)
            for try await result in group { #expect(result == small) }
        }
    }

    @Test func concurrentProfilesKeepTheirSamplesApart() async throws {
        let profiler = Profiler()
        async let alpha = profiler.profile { busyAlpha(milliseconds: 300) }
        async let beta = profiler.profile { busyBeta(milliseconds: 300) }
        let (alphaProfile, betaProfile) = try await (alpha.1, beta.1)
        #expect(alphaProfile.samples(through: "busyAlpha").count > 100)
        #expect(betaProfile.samples(through: "busyBeta").count > 100)
        #expect(!alphaProfile.containsFrame(named: "busyBeta"))
        #expect(!betaProfile.containsFrame(named: "busyAlpha"))
        #expect(alphaProfile.metadata.threadID != betaProfile.metadata.threadID)
    }

    @Test func stacksDeeperThan128FramesAreKept() async throws {
        let (_, profile) = try await Profiler().profile { deepRecursion(180, nanoseconds: 100_000_000) }
        let deepest = profile.samples.map(\.stack.count).max() ?? 0
        #expect(deepest >= 180)
        // The default tree merges the recursion into one node.
        let tree = profile.callTree()
        var recursionNodes = 0
        tree.root.forEach { node, _ in
            if let i = node.frameIndex, tree.frames[i].name.contains("deepRecursion") { recursionNodes += 1 }
        }
        #expect(recursionNodes == 1)
    }

    @Test func aFullBufferCountsDroppedSamplesInsteadOfOverwriting() async throws {
        // 200-deep stacks fill the frame pool (sized for 64 frames a sample on average) long
        // before the sample records run out.
        let configuration = Profiler.Configuration(interval: .milliseconds(1), maximumDuration: .milliseconds(300))
        let (_, profile) = try await Profiler(configuration: configuration).profile { deepRecursion(200, nanoseconds: 250_000_000) }
        #expect(profile.metadata.droppedSamples > 0)
        // What was recorded is intact: every sample taken at the bottom of the recursion still
        // holds its whole stack (nothing was overwritten by later ones).
        let atBottom = profile.samples(through: "spin(")
        #expect(atBottom.count > 50)
        #expect(atBottom.allSatisfy { $0.stack.count >= 200 })
    }

    @Test func samplingStopsAtTheMaximumDuration() async throws {
        let configuration = Profiler.Configuration(interval: .milliseconds(1), maximumDuration: .milliseconds(50))
        let (_, profile) = try await Profiler(configuration: configuration).profile { busyAlpha(milliseconds: 200) }
        #expect(profile.metadata.truncated)
        #expect(profile.sampleCount <= 60)
        #expect(profile.metadata.notes.contains { $0.contains("maximum duration") })
    }

    @Test(arguments: [Duration.microseconds(50), .milliseconds(101), .zero, .seconds(-1)])
    func intervalsOutsideTheRangeAreRejected(interval: Duration) async {
        let profiler = Profiler(configuration: .init(interval: interval))
        await #expect(throws: ProfilerError.invalidInterval(interval)) {
            _ = try await profiler.profile { 1 }
        }
        #expect(ProfilerError.invalidInterval(interval).description.contains("0.1 ms to 100 ms"))
    }

    /// Under a nanosecond, a maximum duration was rounded to 0 ns, which the sampler takes for
    /// "no limit": the session ran uncut, with room for 64 samples, and dropped the rest.
    @Test(arguments: [Duration.zero, .seconds(-1), Duration(secondsComponent: 0, attosecondsComponent: 500_000_000), .seconds(3601)])
    func maximumDurationsOutsideTheRangeAreRejected(duration: Duration) async {
        let profiler = Profiler(configuration: .init(maximumDuration: duration))
        await #expect(throws: ProfilerError.invalidMaximumDuration(duration)) {
            _ = try await profiler.profile { 1 }
        }
    }

    @Test func errorsOfTheWorkAreRethrownAndTheSessionCleanedUp() async throws {
        struct Boom: Error {}
        let timers = rp_process_timer_count()
        await #expect(throws: Boom.self) {
            _ = try await Profiler().profile { () async throws -> Int in throw Boom() }
        }
        #expect(rp_process_timer_count() == timers)
    }
}

@Suite(.serialized)
struct SessionTests {
    @Test func stopIsIdempotentAlsoWhenCalledConcurrently() async throws {
        let session = try Profiler().start()
        _ = await session.run { busyAlpha(milliseconds: 50) }
        async let first = session.stop()
        async let second = session.stop()
        let (a, b) = await (first, second)
        #expect(a == b)
        #expect(a.samples(through: "busyAlpha").count > 10)
        #expect(await session.stop() == a)
    }

    @Test func discardReleasesEverythingAndALaterStopGivesAnEmptyProfile() async throws {
        let timers = rp_process_timer_count()
        for _ in 0..<200 {
            let session = try Profiler().start()
            _ = await session.run { busyAlpha(milliseconds: 2) }
            await session.discard()
        }
        #expect(rp_process_timer_count() == timers)
        let session = try Profiler().start()
        _ = await session.run { busyAlpha(milliseconds: 20) }
        async let discarded: Void = session.discard()
        async let stopped = session.stop()  // racing the discard: either finishes the session
        let (_, raced) = await (discarded, stopped)
        await session.discard()
        let after = await session.stop()
        #expect(after == raced)
        #expect(rp_process_timer_count() == timers)
        // Whoever came first, the samples were thrown away or kept whole, never half read.
        #expect(after.samples.isEmpty || after.samples(through: "busyAlpha").count > 5)
    }

    @Test func aSessionDroppedWithoutStopReleasesItsTimer() async throws {
        let timers = rp_process_timer_count()
        do {
            let session = try Profiler().start()
            _ = await session.run { busyAlpha(milliseconds: 5) }
        }
        #expect(rp_process_timer_count() == timers)
    }

    @Test func runSetsTheCurrentSessionForTasksCreatedInside() async throws {
        let session = try Profiler().start()
        #expect(ProfilingSession.current == nil)
        let inherited = await session.run {
            await Task { ProfilingSession.current === session }.value
        }
        #expect(inherited)
        // A framework hop (an unstructured task) re-enters the session and is sampled too.
        _ = await session.run {
            await Task {
                await ProfilingSession.current!.run { busyBeta(milliseconds: 60) }
            }.value
        }
        let profile = await session.stop()
        #expect(profile.samples(through: "busyBeta").count > 20)
    }
}
