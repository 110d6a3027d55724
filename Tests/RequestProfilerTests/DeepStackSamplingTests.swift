import CSampler
import Testing

@testable import RequestProfiler

#if canImport(Glibc)
import Glibc
#endif

/// A request recursing to within a few KB of its stack's guard page is sampled without harm.
///
/// The kernel builds a signal's frame (the registers and vector state, about 3.5 KB with
/// AVX-512) on the stack the thread is on, and the handler runs below it: there the sample
/// itself overflowed the stack, and the process died of SIGSEGV, a request the profiler killed
/// rather than one that overflowed on its own. A sampled thread has an alternate signal stack.
@Suite(.serialized)
struct DeepStackSamplingTests {
    /// How many bytes of stack the recursion leaves free above the thread's lowest address:
    /// room for the spin at the bottom, not for a signal frame and the handler too.
    static let leftFree: UInt = 4096

    @Test func aThreadAFewKilobytesAboveItsGuardPageIsSampledWithoutHarm() async throws {
        let profiler = Profiler(configuration: try .init(interval: .microseconds(100)))
        let ((depth, alternate), profile) = try await profiler.profile {
            var current = stack_t()
            sigaltstack(nil, &current)
            var tid: pid_t = 0
            var low: UInt = 0, high: UInt = 0
            guard rp_current_thread_info(&tid, &low, &high) == 0, low < high else { return (-1, current) }
            return (descend(to: low + Self.leftFree, spinningMilliseconds: 30), current)
        }
        // The mechanism itself, whatever this CPU's signal frame takes.
        #expect(alternate.ss_flags & Int32(SS_DISABLE) == 0 && alternate.ss_size >= 64 * 1024, "the sampled thread has an alternate signal stack")
        #expect(depth > 1_000, "the recursion reached the bottom of the stack (\(depth) calls)")
        #expect(profile.samples.count > 50, "the bottom of the stack was sampled (\(profile.samples.count) samples)")
    }
}

/// Recurses until the stack pointer is below `floor`, then spins there; returns the depth.
@inline(never) private func descend(to floor: UInt, spinningMilliseconds milliseconds: UInt64) -> Int {
    var marker: UInt8 = 1
    let here = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    guard here > floor else {
        _ = busyAlpha(milliseconds: milliseconds)
        return 0
    }
    return descend(to: floor, spinningMilliseconds: milliseconds) + Int(marker)
}
