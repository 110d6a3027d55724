import CSampler
#if canImport(Glibc)
import Glibc
#endif

/// One running profile: a sampled thread, its timer and its buffers.
///
/// `Profiler.profile { }` is all most code needs. Frameworks that hop tasks (Vapor runs
/// handlers in a `Task {}`) use the session directly: `run` pins work to the sampled thread and
/// sets `ProfilingSession.current`, which a `Task {}` inherits, so the hop can re-enter the
/// same session with `ProfilingSession.current?.run { }`.
public final class ProfilingSession: Sendable {
    /// The session whose `run` encloses the current task, if any (and still alive: a task
    /// started inside `run` that outlives the session sees nil, see ``SessionReference``).
    public static var current: ProfilingSession? { currentReference?.session }
    @TaskLocal static var currentReference: SessionReference?

    let configuration: Profiler.Configuration
    private let executor: SampledThreadExecutor
    private let sampler: SignalSampler
    private let awaits: AwaitRecorder
    private let symbolizer: any Symbolizer
    private let startTime: Double
    private let state = Mutex()
    /// The one task that stops the session and builds its profile; every `stop()` awaits it.
    private nonisolated(unsafe) var finishing: Task<(Profile, SamplerDiagnostics), Never>?
    private nonisolated(unsafe) var finished: SamplerDiagnostics?
    /// `run` calls made from the main actor, whose work is therefore not sampled (see `run`).
    private nonisolated(unsafe) var runsFromTheMainActor = 0
    private nonisolated(unsafe) var runs = 0
    /// Set by the first `discard()`: the samples are gone, a later `stop()` builds an empty profile.
    private nonisolated(unsafe) var discarded = false

    /// What the sampler measured about itself, once `stop()` has returned.
    @_spi(Benchmarking)
    public var diagnostics: SamplerDiagnostics? { state.withLock { finished } }

    init(configuration: Profiler.Configuration, symbolizer: any Symbolizer) throws {
        AsyncResumeBoundary.install(using: DwarfSymbolizer.shared)
        _ = rp_sampler_refresh_code_ranges()
        self.configuration = configuration
        self.symbolizer = symbolizer
        let sampler = try SignalSampler(configuration: configuration)
        let (deadline, overflowed) = rp_monotonic_ns().addingReportingOverflow(configuration.maximumDurationNanoseconds)
        let awaits = AwaitRecorder(recordingUntil: overflowed ? .max : deadline, recordLimit: configuration.sampleCapacity)
        self.sampler = sampler
        self.awaits = awaits
        self.executor = try SampledThreadExecutorPool.take(
            onIdle: { idle in
                sampler.setIdle(idle)
                if !idle { awaits.resumed(at: rp_monotonic_ns(), samplesSoFar: sampler.sampleCount) }
            },
            onEnqueue: { job in awaits.record(job) }
        )
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        startTime = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        do {
            try sampler.start(on: executor.info)
        } catch {
            // Every stored property is set, so deinit runs and lets the thread, executor and
            // buffers go (once: a second release could hand back an executor already serving
            // another session).
            throw error
        }
    }

    /// Runs `work` on the sampled thread. May be called several times (e.g. around each hop of
    /// a framework's handler chain) until `stop()`.
    ///
    /// `work` runs in the caller's isolation (frameworks pass non-`Sendable` handlers). A task
    /// executor preference moves nonisolated code and default actors onto the sampled thread,
    /// but not the main actor, which always runs on the main thread: a closure written in
    /// `@MainActor` code runs there, unsampled. When `run` is called from the main actor the
    /// profile's `metadata.notes` says why the work is missing. `Profiler.profile { }` does not
    /// have this limit.
    public func run<T>(
        isolation: isolated (any Actor)? = #isolation,
        _ work: () async throws -> T
    ) async rethrows -> T {
        recordIsolation(of: isolation)
        return try await Self.$currentReference.withValue(SessionReference(self), operation: {
            try await withTaskExecutorPreference(executor, isolation: isolation) {
                try await work()
            }
        }, isolation: isolation)
    }

    /// Starts `work` in a task of its own (unstructured: it inherits the caller's task-locals
    /// and priority, not the caller's executor preference) that prefers the sampled thread
    /// from its first job on, and runs `work` inside ``run``.
    /// For a framework whose chain must start a task to call async code from a future callback
    /// (Vapor's route responder): `Task { await session.run { } }` starts on the global
    /// executor and then hops, two thread wake-ups more for every such call.
    public func runInNewTask(_ work: @escaping @Sendable () async -> Void) {
        Task(executorPreference: executor) { await self.run(work) }
    }

    private func recordIsolation(of actor: (any Actor)?) {
        let onMainThread = actor.map { $0 === MainActor.shared } ?? false
        state.withLock {
            runs += 1
            if onMainThread { runsFromTheMainActor += 1 }
        }
    }

    /// The note a profile carries when work ran where the sampler cannot see it.
    private var offThreadNote: String? {
        let (off, total) = state.withLock { (runsFromTheMainActor, runs) }
        guard off > 0 else { return nil }
        return "the work ran on the main thread, which is not sampled: run was called from @MainActor code "
            + "(\(off) of \(total) runs). Use Profiler.profile { }, which runs its closure off the caller's actor, or call run from nonisolated code"
    }

    /// Says that no `run` will follow: sampling stops now, and the sampled thread goes back to
    /// its pool as soon as the job now running returns, instead of parking until `stop()` or
    /// `discard()` asks for it. Call it at the end of the last `run`'s work (on the sampled
    /// thread): the stop that follows then finds the thread released, and need not wake it and
    /// wait (two thread wake-ups fewer, most of what discarding a fast automatic profile cost).
    /// The timer is disarmed first, so a thread back in the pool is never signalled for this
    /// session. A job that still arrives afterwards runs on the global executor, unsampled, as
    /// after `stop()`.
    public func endRuns() {
        sampler.stop()
        executor.stopWhenIdle()
    }

    /// Stops sampling, releases the thread and timer, and builds the profile: unwinding,
    /// symbolication, await attribution. Safe to call more than once, also concurrently: every
    /// call returns the same profile.
    ///
    /// Building is blocking work (milliseconds, the first of a process a few hundred): by
    /// default it runs on the global executor, which suits a caller that waits for the profile
    /// anyway. A caller that builds in the background passes an executor of its own (a thread
    /// of its own), so that the cooperative pool's few threads keep serving requests. Only the
    /// first call's executor counts: later calls await the same build.
    public func stop(buildingOn builder: (any TaskExecutor)? = nil) async -> Profile {
        await end(keepingSamples: true, buildingOn: builder)
    }

    /// Stops sampling and releases the thread, timer and buffers without unwinding or
    /// symbolizing anything: for a caller that already knows it will throw the profile away
    /// (auto-capture of a request that turned out fast), so that it does not pay for building
    /// one. A `stop()` after (or racing) it returns a profile without samples.
    public func discard() async {
        let releasesHere = state.withLock {
            guard finishing == nil, !discarded else { return false }
            discarded = true
            return true
        }
        guard releasesHere else {
            _ = await end(keepingSamples: false, buildingOn: nil)
            return
        }
        // In this task rather than in a `Task` of its own as `stop()` does: auto-capture
        // discards most of its profiles, and every extra task is a thread wake-up or two.
        // Leave the sampled thread first, so that joining it cannot wait on ourselves.
        await withTaskExecutorPreference(globalConcurrentExecutor) {
            sampler.stop()
            await executor.stopAndAwaitRelease()
            sampler.destroy()
        }
        state.withLock {
            finished = finished ?? SamplerDiagnostics(
                captureCostsNanoseconds: [], unwoundSamples: 0, averageSnapshotBytes: 0, idleSamples: 0, buildNanoseconds: 0)
        }
    }

    private func end(keepingSamples: Bool, buildingOn builder: (any TaskExecutor)?) async -> Profile {
        let task = state.withLock {
            if let finishing { return finishing }
            let task = Task { await self.finish(keepingSamples: keepingSamples, buildingOn: builder) }
            finishing = task
            return task
        }
        let (profile, diagnostics) = await task.value
        state.withLock { finished = diagnostics }
        return profile
    }

    private func finish(keepingSamples: Bool, buildingOn builder: (any TaskExecutor)?) async -> (Profile, SamplerDiagnostics) {
        // Leave the sampled thread first, so that joining it cannot wait on ourselves.
        await withTaskExecutorPreference(builder ?? globalConcurrentExecutor) {
            sampler.stop()
            await executor.stopAndAwaitRelease()
            let buildStart = rp_monotonic_ns()
            let samplesGone = state.withLock { discarded }
            var buffer = samplesGone ? RawSampleBuffer() : sampler.read()
            sampler.destroy()
            if !keepingSamples {
                buffer.samples = []
                buffer.captureCosts = []
            }
            let builder = ProfileBuilder(symbolizer: symbolizer, resolvesLines: configuration.resolvesLines)
            let profile = builder.build(
                buffer: buffer,
                awaits: keepingSamples ? awaits.all : [],
                intervalNanoseconds: configuration.intervalNanoseconds,
                threadID: Int(executor.info.tid),
                startTime: startTime,
                notes: [offThreadNote, keepingSamples ? awaits.note : nil].compactMap { $0 }
            )
            let diagnostics = SamplerDiagnostics(
                captureCostsNanoseconds: buffer.captureCosts,
                unwoundSamples: buffer.unwoundSamples,
                averageSnapshotBytes: buffer.samples.isEmpty ? 0 : buffer.snapshotBytes / buffer.samples.count,
                idleSamples: buffer.samples.count { $0.isIdle },
                buildNanoseconds: rp_monotonic_ns() - buildStart
            )
            return (profile, diagnostics)
        }
    }

    /// A session dropped without `stop()` still releases its timer, thread and buffers; its
    /// executor goes back to the pool (never freed: a task may still prefer it).
    deinit {
        sampler.stop()
        executor.shutdown()
        sampler.destroy()
        executor.sessionEnded()
    }
}
