/// Where sampling decisions get their randomness: the system generator in production, a seeded
/// one in tests so rate checks are deterministic.
public protocol MetricsRandomSource: Sendable {
    /// A uniform value in `0..<1`.
    func nextUnitInterval() -> Double
}

/// Production randomness: seeded once from the system generator, then lock-free and without
/// a system call per value (``IdentifierGenerator``). `Double.random(in:)` with the system
/// generator calls `getrandom` each time, which auto-capture's per-request draw paid on every
/// request. Sampling needs an even spread, not secrecy.
public struct SystemRandomSource: MetricsRandomSource {
    public init() {}

    public func nextUnitInterval() -> Double {
        // The top 53 bits: every double in 0..<1 with the same spacing, never 1.
        Double(IdentifierGenerator.next() >> 11) * 0x1p-53
    }
}
