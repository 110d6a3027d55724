import Synchronization

// Distinctly named busy functions: a report must show the ones of the profiled request and
// none of the others. Each burns CPU for a while (no timing is asserted on it).

/// Burns CPU for `duration`, or until `stop` returns true, whichever comes first.
@inline(never)
public func spin(for duration: Duration, until stop: () -> Bool = { false }) -> Int {
    let clock = ContinuousClock()
    let deadline = clock.now + duration
    var accumulator = 0
    while clock.now < deadline && !stop() {
        for value in 0..<2_000 { accumulator = accumulator &+ value &* 31 }
    }
    return accumulator
}

@inline(never) public func alphaHandlerWork() -> Int { spin(for: .milliseconds(150)) }
@inline(never) public func afterAwaitWork() -> Int { spin(for: .milliseconds(100)) }
@inline(never) public func groupMiddlewareWork() -> Int { spin(for: .milliseconds(100)) }
@inline(never) public func syncHandlerWork() -> Int { spin(for: .milliseconds(100)) }
@inline(never) public func futureHandlerWork() -> Int { spin(for: .milliseconds(100)) }

/// The unprofiled neighbour: busy until the profiled request is over (at most 10 s).
@inline(never) public func betaHandlerWork(until done: Flag) -> Int { spin(for: .seconds(10)) { done.isSet } }

/// A one-way switch shared between concurrent requests and the test.
public final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    public init() {}
    public var isSet: Bool { value.load(ordering: .acquiring) }
    public func set() { value.store(true, ordering: .releasing) }

    /// Waits (polling) until set; a test that never sets it fails on its own time limit.
    public func wait() async throws {
        while !isSet { try await Task.sleep(for: .milliseconds(1)) }
    }
}
