import CSampler
import Testing

@testable import RequestProfiler

#if canImport(Glibc)
import Glibc
#endif

/// The signal handler trusts the sampled thread's stack bounds for every read of its stack.
/// When they are unknown (`pthread_getattr_np` failed, leaving 0 and 0) sampling must not
/// start: the frame walk would wrap around below 0 and read anywhere.
@Suite(.serialized)
struct UnknownStackBoundsTests {
    private func currentThread() -> (tid: pid_t, clock: clockid_t) {
        var tid: pid_t = 0
        var low: UInt = 0, high: UInt = 0
        _ = rp_current_thread_info(&tid, &low, &high)
        var clock = clockid_t()
        pthread_getcpuclockid(pthread_self(), &clock)
        return (tid, clock)
    }

    @Test func theSamplerRefusesUnknownBounds() throws {
        let thread = currentThread()
        let sampler = try SignalSampler(configuration: Profiler.Configuration())
        defer { sampler.destroy() }
        #expect(throws: ProfilerError.self) {
            try sampler.start(on: SampledThread.Info(tid: thread.tid, stackLow: 0, stackHigh: 0, cpuClock: thread.clock))
        }
    }

    @Test func theCSessionRefusesUnknownBoundsToo() throws {
        let thread = currentThread()
        var config = rp_config()
        config.interval_ns = 1_000_000
        config.max_samples = 64
        config.average_frames = 64
        var error: Int32 = 0
        let session = try #require(rp_session_create(&config, &error))
        defer { rp_session_destroy(session) }
        let result = rp_session_start(session, thread.tid, 0, 0, Int32(thread.clock))
        rp_session_stop(session)
        #expect(result == EINVAL)
    }
}
