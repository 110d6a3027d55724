import RequestMetrics

/// The random source behind the metrics sample rate and the auto-capture rate. Settable in
/// code only: tests pass ``seeded(_:)`` so that which requests are sampled is reproducible.
///
/// Settings compare equal when they name the same source (`system`, or the same seed), which
/// is what comparing two configurations means.
public struct RandomSourceSetting: Sendable, Equatable, CustomStringConvertible {
    public let source: any MetricsRandomSource
    public let description: String

    public init(_ source: any MetricsRandomSource, description: String) {
        self.source = source
        self.description = description
    }

    /// The system's random number generator (the default).
    public static var system: RandomSourceSetting { RandomSourceSetting(SystemRandomSource(), description: "system") }

    /// A reproducible sequence.
    public static func seeded(_ seed: UInt64) -> RandomSourceSetting {
        RandomSourceSetting(SeededRandomSource(seed: seed), description: "seeded(\(seed))")
    }

    public static func == (lhs: RandomSourceSetting, rhs: RandomSourceSetting) -> Bool {
        lhs.description == rhs.description
    }
}
