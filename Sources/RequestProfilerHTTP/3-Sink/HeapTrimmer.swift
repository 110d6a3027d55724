import DedicatedThreads
import RequestMetrics
import RequestProfiler
import Synchronization

/// Gives the memory that building reports freed back to the kernel once profiling goes quiet.
///
/// Building a report allocates tens of MB for a moment (unwinding, symbols, the call tree, the
/// rendered page). glibc keeps freed memory in its arenas (one per thread that allocated), so
/// after a burst of concurrent profiles the server's resident memory stayed well above where it
/// had been: in the load test, 114 MB after warm-up, 149 MB after 1,200 profiles over 16
/// connections, and 127 MB once `malloc_trim(0)` had run. So: `quietNanoseconds` after the
/// last report was built, with no profile running, the free memory is returned (a few ms of
/// CPU, never on a request's path: on ``ReportBuildThread``, where reports are built, so a trim
/// never runs during a build, and never holds a request thread waiting for the symbolizer's
/// lock while a build has it).
///
/// The symbolizer's mapped image and debug files are let go of at the same moment: their pages
/// count in RSS once symbolication touched them (from 5 to 22 MB after a Vapor load test), and
/// they stay in the page cache for the next profile.
final class HeapTrimmer: Sendable {
    private let quietNanoseconds: UInt64
    private let limiter: ConcurrencyLimiter
    /// Monotonic time at which the last report was built.
    private let lastBuilt = Atomic<UInt64>(0)
    private let pending = Atomic<Bool>(false)
    /// How many times memory was returned (tests read it).
    let trims = Atomic<Int>(0)

    private let builder: ReportBuildThread

    init(limiter: ConcurrencyLimiter, quietNanoseconds: UInt64 = 1_000_000_000, builder: ReportBuildThread = .shared) {
        self.limiter = limiter
        self.quietNanoseconds = quietNanoseconds
        self.builder = builder
    }

    /// A report was built: schedule a trim for when profiling has been quiet for a while.
    func reportBuilt() {
        lastBuilt.store(Self.clock.monotonicNanoseconds(), ordering: .releasing)
        guard pending.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        Task.detached(executorPreference: builder, priority: .background) { [self] in await trimWhenQuiet() }
    }

    private func trimWhenQuiet() async {
        while true {
            let quietSince = lastBuilt.load(ordering: .acquiring)
            let now = Self.clock.monotonicNanoseconds()
            if now &- quietSince >= quietNanoseconds, limiter.inFlight == 0 {
                FreeMemory.returnToTheSystem()
                DwarfSymbolizer.shared.releaseMappedFilePages()
                trims.add(1, ordering: .relaxed)
                pending.store(false, ordering: .releasing)
                // A report built between the check and now found `pending` set and did not
                // schedule: take it over, unless another task already did.
                guard lastBuilt.load(ordering: .acquiring) != quietSince,
                    pending.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
                else { return }
                continue
            }
            // Sleep until the quiet time would be over, or (a profile still running) one more
            // quiet time; at least 50 ms, unless the quiet time itself is shorter.
            let elapsed = now &- quietSince
            let wait = elapsed < quietNanoseconds ? quietNanoseconds - elapsed : quietNanoseconds
            try? await Task.sleep(nanoseconds: min(max(wait, 50_000_000), quietNanoseconds))
        }
    }

    private static let clock = MetricsClock.system
}
