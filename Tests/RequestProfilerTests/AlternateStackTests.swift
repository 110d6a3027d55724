import CSampler
import Testing

@testable import RequestProfiler

#if canImport(Glibc)
import Glibc
#endif

/// When the SIGUSR1 handler below stops spinning on the alternate stack (set by the test).
nonisolated(unsafe) private var spinUntilNanoseconds: Int64 = 0

private func alternateStackClock() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
}

/// A sampled thread interrupted while it runs on another stack than its own: here a signal
/// handler on its sigaltstack (a coroutine's stack is the same case). The frame pointer leads
/// nowhere on the thread's stack, and the handler's fallback scan for a frame record went up
/// from sp into the alternate stack's guard page: SIGSEGV inside the profiler's signal
/// handler, the server gone. The scan now keeps to the thread's own stack.
@Suite(.serialized)
struct AlternateStackTests {
    @Test func samplesTakenOnASignalAlternateStackDoNotFault() throws {
        var tid: pid_t = 0
        var low: UInt = 0, high: UInt = 0
        try #require(rp_current_thread_info(&tid, &low, &high) == 0 && low < high)
        var clock = clockid_t()
        pthread_getcpuclockid(pthread_self(), &clock)

        // 64 KB of alternate stack with a PROT_NONE page right above it: a read past its top faults.
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let size = 64 * 1024
        let region = try #require(mmap(nil, size + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        try #require(region != MAP_FAILED)
        defer { munmap(region, size + page) }
        try #require(mprotect(region + size, page, PROT_NONE) == 0)
        var alternate = stack_t()
        alternate.ss_sp = region
        alternate.ss_size = size
        alternate.ss_flags = 0
        var previousStack = stack_t()
        try #require(sigaltstack(&alternate, &previousStack) == 0)
        defer {
            var disabled = stack_t()
            disabled.ss_flags = Int32(SS_DISABLE)
            sigaltstack(&disabled, nil)
        }

        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            // Only async-signal-safe work: spin on the clock while SIGPROF samples arrive.
            while alternateStackClock() < spinUntilNanoseconds {}
        }
        action.sa_flags = SA_ONSTACK
        sigemptyset(&action.sa_mask)
        var previousAction = sigaction()
        try #require(sigaction(SIGUSR1, &action, &previousAction) == 0)
        defer { sigaction(SIGUSR1, &previousAction, nil) }

        let sampler = try SignalSampler(configuration: Profiler.Configuration())
        defer { sampler.destroy() }
        try sampler.start(on: SampledThread.Info(tid: tid, stackLow: low, stackHigh: high, cpuClock: clock))
        spinUntilNanoseconds = alternateStackClock() + 150_000_000
        // Worker threads of the concurrency pool block most signals: let SIGUSR1 in here.
        var unblock = sigset_t(), previousMask = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGUSR1)
        pthread_sigmask(SIG_UNBLOCK, &unblock, &previousMask)
        let raisedAt = alternateStackClock()
        raise(SIGUSR1)
        let spunFor = alternateStackClock() - raisedAt
        pthread_sigmask(SIG_SETMASK, &previousMask, nil)
        sampler.stop()
        let samples = sampler.read().samples
        #expect(samples.count >= 50, "the handler spun \(spunFor / 1_000_000) ms under a 1 ms timer: \(samples.count) samples")
    }
}
