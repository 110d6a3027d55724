/// Where sampling decisions get their randomness: the system generator in production, a seeded
/// one in tests so rate checks are deterministic.
public protocol MetricsRandomSource: Sendable {
    /// A uniform value in `0..<1`.
    func nextUnitInterval() -> Double
}

/// The system's random generator.
public struct SystemRandomSource: MetricsRandomSource {
    public init() {}

    public func nextUnitInterval() -> Double {
        Double.random(in: 0..<1)
    }
}
