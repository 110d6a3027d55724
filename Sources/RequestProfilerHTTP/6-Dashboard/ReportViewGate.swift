import Synchronization

/// Lets a few requests that read saved reports run at a time.
///
/// Report views (an aggregate, a diff, a report in another format) read and decode up to
/// hundreds of reports, and a saved report may be served whole (up to 256 MB): ten of them at
/// once, from a reloading browser or a script, would multiply the memory and take as many
/// threads. A request that finds the gate full gets a 503 with `Retry-After` at once.
final class ReportViewGate: Sendable {
    let capacity: Int
    private let inside = Atomic<Int>(0)

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Takes a place if one is free; the caller must ``leave()`` it.
    func tryEnter() -> Bool {
        var current = inside.load(ordering: .relaxed)
        while current < capacity {
            let (exchanged, original) = inside.compareExchange(expected: current, desired: current + 1, ordering: .acquiring)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func leave() {
        inside.subtract(1, ordering: .releasing)
    }

    /// Runs `work` off the request's thread if a place is free; else the 503. The place is
    /// taken where the work runs, so an answer that is never run holds nothing.
    func offThread(_ work: @escaping @Sendable () -> ProfilingResponse) -> DashboardAnswer {
        .offThread { [self] in
            guard tryEnter() else { return Self.busy }
            defer { leave() }
            return work()
        }
    }

    /// The 503 for a request that found the gate full.
    static let busy = Dashboard.plain(
        503, "the dashboard is busy reading other reports; try again in a moment\n", extra: [HTTPHeaderField("Retry-After", "1")])
}
