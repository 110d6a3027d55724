import CSampler
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The frame pool (samples times average frames) can fill before the sample records do, when
/// stacks run deeper than the average. Idle samples take no frames: they must still be
/// recorded then, or the waiting time of a deep request's awaits would be dropped.
@Suite(.serialized)
struct FramePoolTests {
    @Test func idleSamplesAreRecordedOnceTheFramePoolIsFull() throws {
        var tid: pid_t = 0
        var low: UInt = 0, high: UInt = 0
        try #require(rp_current_thread_info(&tid, &low, &high) == 0)
        var clock = clockid_t()
        pthread_getcpuclockid(pthread_self(), &clock)
        var config = rp_config()
        config.interval_ns = 1_000_000
        config.max_samples = 100
        config.average_frames = 8  // a pool of 800 frames: a few dozen samples of this stack
        var error: Int32 = 0
        let session = try #require(rp_session_create(&config, &error))
        defer { rp_session_destroy(session) }
        try #require(rp_session_start(session, tid, low, high, Int32(clock)) == 0)
        spin(milliseconds: 80)  // running samples until the frame pool is full
        let running = rp_session_sample_count(session)
        rp_session_set_idle(session, 1)
        spin(milliseconds: 60)  // idle samples: no frames needed
        rp_session_stop(session)
        let all = rp_session_sample_count(session)
        #expect(running < 60, "the pool filled before the records did: \(running) samples")
        #expect(all >= running + 30, "idle samples recorded after the pool filled: \(all - running)")
    }

    private func spin(milliseconds: UInt64) {
        let end = rp_monotonic_ns() + milliseconds * 1_000_000
        while rp_monotonic_ns() < end {}
    }
}
