import Foundation
import Testing

@testable import RequestProfiler

#if canImport(Glibc)
import Glibc
#endif

/// A sampled thread receives the timer's signals whatever its creator blocked.
@Suite(.serialized)
struct SampledThreadSignalMaskTests {
    @Test func aThreadCreatedWhileSIGPROFIsBlockedStillReceivesIt() throws {
        var profSignal = sigset_t()
        sigemptyset(&profSignal)
        sigaddset(&profSignal, SIGPROF)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &profSignal, &previous)
        let thread: SampledThread
        do {
            defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
            thread = try SampledThread()
        }
        let status = try String(contentsOfFile: "/proc/self/task/\(thread.info.tid)/status", encoding: .utf8)
        let blocked = try #require(status.split(separator: "\n").first { $0.hasPrefix("SigBlk:") })
        let mask = try #require(UInt64(blocked.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16))
        #expect(mask & (1 << (UInt64(SIGPROF) - 1)) == 0, "SigBlk \(blocked)")
    }
}
