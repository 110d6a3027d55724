import Testing
import RequestProfiler

/// Sampler accuracy and async awareness. Serialized: these tests measure time, and sharing
/// two cores with each other would only add noise.
@Suite(.serialized)
struct SamplerAccuracyTests {
    /// No tick is lost: each one is either a sample or counted as missed. A thread waiting for
    /// a CPU (a loaded machine, the VM's vCPU preempted) cannot take its ticks, and the kernel
    /// counts them as timer overruns: the profile reports them as `missedSamples`, and the next
    /// sample's weight covers their time. How many ticks become samples on a quiet machine
    /// (within 10% of the wall time) is measured by the benchmark's accuracy rows
    /// (`AccuracyBenchmark`: samples x interval / wall time), not here.
    @Test func everyTickIsASampleOrCountedAsMissed() async throws {
        let interval: UInt64 = 1_000_000
        let profiler = Profiler(configuration: .init(interval: .nanoseconds(Int64(interval))))
        let (work, profile) = try await profiler.profile {
            let started = ContinuousClock.now
            _ = busyAlpha(milliseconds: 400)
            return started.duration(to: .now)
        }
        #expect(profile.metadata.droppedSamples == 0)
        #expect(profile.metadata.intervalNanoseconds == interval)
        let accounted = profile.sampleCount + profile.metadata.missedSamples
        let detail = "\(profile.sampleCount) samples + \(profile.metadata.missedSamples) missed, for \(work) of work in a profile of \(profile.metadata.durationNanoseconds) ns"
        // Sampling is armed before the work starts and stopped after it ends, so every tick
        // that fell within the work is a sample or an overrun; one may still be pending when
        // sampling stops, and one is allowed at each end for the tick boundaries.
        let workTicks = Int(work.components.seconds) * Int(1_000_000_000 / interval)
            + Int(work.components.attoseconds / 1_000_000_000 / Int64(interval))
        #expect(workTicks >= 400, "the work ran for at least its 400 ms of CPU time")
        #expect(accounted >= workTicks - 3, "ticks lost: \(detail)")
        // Nor are ticks made up: no more than the profile's duration holds.
        let profileTicks = Int(profile.metadata.durationNanoseconds / interval)
        #expect(accounted <= profileTicks + 1, "more ticks than the duration holds: \(detail)")
    }

    @Test func workIsAttributedInProportion() async throws {
        let profiler = Profiler(configuration: .init(interval: .milliseconds(1)))
        let unit: UInt64 = 2_000_000
        let (_, profile) = try await profiler.profile {
            var sink: UInt64 = 0
            for _ in 0..<80 {
                sink &+= workloadFifty(unit)
                sink &+= workloadThirty(unit)
                sink &+= workloadTwenty(unit)
            }
            return sink
        }
        // "Work" is CPU time: wall time also holds whatever the machine's other processes took.
        let fifty = Double(profile.cpuNanoseconds(through: "workloadFifty"))
        let thirty = Double(profile.cpuNanoseconds(through: "workloadThirty"))
        let twenty = Double(profile.cpuNanoseconds(through: "workloadTwenty"))
        let total = fifty + thirty + twenty
        // Each function's share within 10 points and in the right order: what a user reads
        // off a report, and robust on a loaded machine. How close the shares come on a quiet
        // one (a fraction of a point) is the benchmark's ("accuracy: max share error").
        #expect(total > 0)
        let shares = "fifty \(fifty / total), thirty \(thirty / total), twenty \(twenty / total)"
        #expect(fifty > thirty && thirty > twenty, "shares out of order: \(shares)")
        #expect(abs(fifty / total - 0.5) <= 0.10, "workloadFifty: \(shares)")
        #expect(abs(thirty / total - 0.3) <= 0.10, "workloadThirty: \(shares)")
        #expect(abs(twenty / total - 0.2) <= 0.10, "workloadTwenty: \(shares)")
        // The call tree a report shows names the three functions with their share.
        let tree = profile.callTree()
        var seen: Set<String> = []
        tree.root.forEach { node, _ in if let i = node.frameIndex { seen.insert(tree.frames[i].shortName) } }
        #expect(seen.contains { $0.contains("workloadFifty") })
    }

    @Test func asyncFunctionsShowTheirAsyncCallers() async throws {
        let profiler = Profiler()
        let (_, profile) = try await profiler.profile { await asyncOuter() }
        let inner = profile.samples(through: "asyncInner")
        #expect(inner.count > 50, "only \(inner.count) samples in asyncInner")
        let withCallers = Self.samples(inner, showing: ["asyncOuter", "asyncMiddle", "asyncInner"], in: profile)
        #expect(Double(withCallers.count) >= 0.9 * Double(inner.count), "\(withCallers.count) of \(inner.count) samples show asyncOuter -> asyncMiddle -> asyncInner")
        // Executor frames below the task are not part of the logical stack.
        #expect(!inner.contains { profile.names(of: $0).contains { $0.contains("SampledThreadExecutor.runLoop") } })
    }

    /// A sample taken in the outermost partial function's own code has one native frame: the
    /// libunwind completion found nothing to join at and took its DWARF stack (executor frames
    /// and all), dropping the async callers. In a release build, where work is inlined into
    /// partial functions, that was most async samples.
    @Test func anAsyncFunctionSpinningInItsOwnCodeKeepsItsCallers() async throws {
        let (_, profile) = try await Profiler().profile { await inlineOuter() }
        let inner = profile.samples(through: "inlineInner")
        #expect(inner.count > 50, "only \(inner.count) samples in inlineInner")
        let ownCode = inner.filter { sample in sample.stack.last.map { profile.frames[$0].name.contains("inlineInner") } ?? false }
        #expect(Double(ownCode.count) >= 0.5 * Double(inner.count), "\(ownCode.count) of \(inner.count) samples in inlineInner's own code")
        let withCallers = Self.samples(inner, showing: ["inlineOuter", "inlineMiddle", "inlineInner"], in: profile)
        #expect(Double(withCallers.count) >= 0.9 * Double(inner.count), "\(withCallers.count) of \(inner.count) samples show inlineOuter -> inlineMiddle -> inlineInner")
        #expect(!inner.contains { profile.names(of: $0).contains { $0.contains("SampledThreadExecutor.runLoop") } })
    }

    /// The samples whose stacks hold `chain`'s functions, outermost first, in that order.
    private static func samples(_ samples: [Sample], showing chain: [String], in profile: Profile) -> [Sample] {
        samples.filter { sample in
            let names = profile.names(of: sample)
            let positions = chain.map { function in names.firstIndex { $0.contains(function) } }
            guard positions.allSatisfy({ $0 != nil }) else { return false }
            return zip(positions, positions.dropFirst()).allSatisfy { $0! < $1! }
        }
    }

    @Test func awaitedSleepIsAttributedToTheAwaitingFunction() async throws {
        let profiler = Profiler()
        let (user, profile) = try await profiler.profile { try await handleRequest() }
        #expect(user.id == 42)
        let tree = profile.callTree()
        var fetchAwait: UInt64 = 0
        var fetchWall: UInt64 = 0
        tree.root.forEach { node, _ in
            if let i = node.frameIndex, tree.frames[i].name.contains("fetchUser") {
                fetchAwait += node.totalAwaitNanoseconds
                fetchWall += node.totalWallNanoseconds
            }
        }
        // About the time the sleep really took (measured around it), attributed to fetchUser().
        let awaitMilliseconds = Double(fetchAwait) / 1e6
        let sleptMilliseconds = Double(user.sleptNanoseconds) / 1e6
        #expect(sleptMilliseconds >= 200)
        #expect(abs(awaitMilliseconds - sleptMilliseconds) <= 0.15 * sleptMilliseconds, "fetchUser() awaited \(awaitMilliseconds) ms of a \(sleptMilliseconds) ms sleep")
        // The executor's idle wait is not where the time shows up.
        #expect(!profile.containsFrame(named: "pthread_cond_wait") || profile.wallNanoseconds(through: "pthread_cond_wait") < 10_000_000)
        #expect(profile.samples.contains { $0.state == .suspended })
    }

    /// Samples whose leaf is the libc function `name` (glibc exports it under a few aliases).
    private func samples(in name: String, of profile: Profile) -> [Sample] {
        profile.samples.filter { sample in
            guard let leaf = sample.stack.last else { return false }
            let leafName = profile.frames[leaf].name
            return leafName == name || leafName == "__" + name || leafName.hasSuffix("libc_" + name)
        }
    }

    /// glibc is built without frame pointers: a frame-pointer walk from inside `read` skips its
    /// caller. The libunwind completion must bring it back.
    @Test(arguments: ["read", "write", "epoll_wait"])
    func callersOfLibcFunctionsAreRecovered(function: String) async throws {
        let profiler = Profiler(configuration: .init(interval: .milliseconds(1)))
        let caller: String
        let profile: Profile
        switch function {
        case "read":
            caller = "blockingPipeReader"
            let (total, result) = try await profiler.profile { blockingPipeReader(rounds: 4, delay: 50_000) }
            #expect(total == 0 + 1 + 2 + 3 + 4)
            profile = result
        case "write":
            caller = "blockingPipeWriter"
            let (written, result) = try await profiler.profile { blockingPipeWriter() }
            #expect(written == 1 << 20)
            profile = result
        default:
            caller = "epollWaiter"
            let (calls, result) = try await profiler.profile { epollWaiter(milliseconds: 200) }
            #expect(calls >= 1)
            profile = result
        }
        let inside = samples(in: function, of: profile)
        #expect(inside.count > 30, "only \(inside.count) samples inside \(function)()")
        let withCaller = inside.filter { sample in
            sample.stack.count >= 2 && profile.frames[sample.stack[sample.stack.count - 2]].name.contains(caller)
        }
        #expect(Double(withCaller.count) >= 0.9 * Double(inside.count), "\(withCaller.count) of \(inside.count) \(function)() samples name \(caller) as the caller: \(inside.prefix(3).map { profile.names(of: $0).suffix(5) })")
        // Blocked time is waiting, not CPU.
        let wait = inside.reduce(0) { $0 + $1.waitNanoseconds }
        let wall = inside.reduce(0) { $0 + $1.wallNanoseconds }
        #expect(Double(wait) > 0.7 * Double(wall))
    }

    /// Ticks in a prologue or epilogue see the caller's frame pointer, so a frame-pointer walk
    /// skips the caller (measured: about half the samples of a tiny function). The DWARF unwind
    /// of the stack copy puts it back.
    ///
    /// The leaf takes a tenth or so of the loop's time, so one run gives 40 to 100 samples in it
    /// depending on the machine's speed and load: runs are repeated (at most four) until 50 have
    /// been seen.
    @Test func samplesInProloguesAndEpiloguesKeepTheirCaller() async throws {
        var inLeaf = 0, withCaller = 0
        for _ in 0..<4 where inLeaf <= 50 {
            let (_, profile) = try await Profiler().profile { tinyLeafCaller(150_000_000) }
            let leafSamples = profile.samples.filter { profile.frames[$0.stack.last!].name.contains("tinyLeaf(") }
            inLeaf += leafSamples.count
            withCaller += leafSamples.count { $0.stack.count >= 2 && profile.frames[$0.stack[$0.stack.count - 2]].name.contains("tinyLeafCaller") }
        }
        #expect(inLeaf > 50, "only \(inLeaf) samples in tinyLeaf in four runs")
        #expect(Double(withCaller) >= 0.9 * Double(inLeaf), "\(withCaller) of \(inLeaf) samples in tinyLeaf name its caller")
    }

    @Test func symbolsAndLinesResolve() async throws {
        let (_, profile) = try await Profiler().profile { await asyncOuter() }
        let testImage = try #require(profile.frames.first { $0.name.contains("asyncInner") }).image
        var pairs = 0, named = 0, withSource = 0, withLine = 0
        var missing: Set<String> = []
        for sample in profile.samples {
            for index in sample.stack {
                let frame = profile.frames[index]
                if frame.kind == .await { continue }
                pairs += 1
                if frame.kind != .unknown { named += 1 }
                // Compiler-generated thunks have no source line in DWARF (line 0): only code
                // written in a source file can have one.
                guard frame.image == testImage, frame.kind != .unknown, !isCompilerGenerated(frame.name) else { continue }
                withSource += 1
                if frame.file != nil && frame.line != nil { withLine += 1 } else { missing.insert(frame.name) }
            }
        }
        #expect(Double(named) >= 0.99 * Double(pairs), "\(named) of \(pairs) sampled frames named")
        #expect(Double(withLine) >= 0.95 * Double(withSource), "\(withLine) of \(withSource) frames have file:line; missing \(missing.sorted().prefix(10))")
        let inner = try #require(profile.frames.first { $0.name.contains("asyncInner") })
        #expect(inner.file?.hasSuffix("Workloads.swift") == true)
        #expect(inner.kind == .application)
    }

    private func isCompilerGenerated(_ name: String) -> Bool {
        ["implicit closure", "partial apply", "thunk", "merged ", "outlined "].contains { name.hasPrefix($0) }
    }
}
