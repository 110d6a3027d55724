import CSampler
#if canImport(Glibc)
import Glibc
#endif

/// Owns one C sampler session: its slot, its timer and its preallocated buffers.
///
/// The C side is written by the signal handler; this wrapper only starts, stops and reads it,
/// and frees it exactly once, after `rp_session_stop` has waited for in-flight handlers.
final class SignalSampler: @unchecked Sendable {
    private let session: OpaquePointer
    private let lock = Mutex()
    private var destroyed = false

    init(configuration: Profiler.Configuration) throws {
        var config = rp_config()
        config.interval_ns = configuration.intervalNanoseconds
        config.max_duration_ns = configuration.maximumDurationNanoseconds
        config.max_samples = UInt32(configuration.sampleCapacity)
        config.average_frames = 64
        config.average_snapshot = configuration.unwindsWithLibunwind ? 1024 : 0
        config.cpu_every = UInt32(CPUTimeAttribution.clockReadInterval)
        var error: Int32 = 0
        guard let created = rp_session_create(&config, &error) else {
            if error == EBUSY { throw ProfilerError.tooManyConcurrentProfiles(limit: Int(RP_MAX_SESSIONS)) }
            throw ProfilerError.samplerUnavailable("cannot allocate sample buffers (errno \(error))")
        }
        session = created
    }

    deinit { destroy() }

    /// Arms the timer on `thread`.
    func start(on thread: SampledThread.Info) throws {
        guard thread.stackHigh > thread.stackLow, thread.stackHigh - thread.stackLow >= 4096 else {
            throw ProfilerError.samplerUnavailable("the sampled thread's stack bounds are unknown (pthread_getattr_np failed)")
        }
        let result = rp_session_start(session, thread.tid, thread.stackLow, thread.stackHigh, thread.cpuClock)
        guard result != RP_ERROR_HANDLER_REPLACED else {
            throw ProfilerError.samplerUnavailable(
                "another SIGPROF handler replaced the profiler's (a second profiler, or signal(SIGPROF, ...)); sampling would send it the profiler's signals")
        }
        guard result == 0 else {
            throw ProfilerError.samplerUnavailable("cannot start the sampling timer (errno \(result): \(String(cString: strerror(result))))")
        }
    }

    func setIdle(_ idle: Bool) {
        lock.withLock { if !destroyed { rp_session_set_idle(session, idle ? 1 : 0) } }
    }

    /// Samples recorded so far. Read on the sampled thread, whose own signal handler is the
    /// only writer of the count (a handler interrupting the read finishes before it goes on).
    var sampleCount: UInt32 {
        lock.withLock { destroyed ? 0 : rp_session_sample_count(session) }
    }

    /// Disarms the timer and waits until no handler is writing; idempotent.
    func stop() {
        lock.withLock { if !destroyed { rp_session_stop(session) } }
    }

    /// Copies everything the handler recorded. Call after `stop()`.
    func read() -> RawSampleBuffer {
        lock.withLock {
            precondition(!destroyed)
            rp_session_stop(session)
            return RawSampleBuffer(session: session)
        }
    }

    func destroy() {
        lock.withLock {
            if destroyed { return }
            destroyed = true
            rp_session_destroy(session)
        }
    }
}
