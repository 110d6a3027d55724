import Synchronization

/// Lets one report view (an aggregate, a diff, a report in another format) be built at a time.
///
/// Those views read and decode up to hundreds of saved reports; two or ten of them at once,
/// from a reloading browser or a script, would multiply the memory and take as many threads.
/// A request that finds the gate closed gets a 503 with `Retry-After` at once.
final class ReportViewGate: Sendable {
    private let busy = Atomic<Bool>(false)

    /// Takes the gate if it is free; the caller must ``leave()`` it.
    func tryEnter() -> Bool {
        busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    }

    func leave() {
        busy.store(false, ordering: .releasing)
    }
}
