/// Which requests are measured and which are written out as events.
///
/// Two decisions, because they happen at two moments: exclusions are checked before the
/// handler (an excluded path costs nothing), sampling after it (so errors can be kept
/// regardless of the rate).
public struct MetricsPolicy: Sendable {
    /// The default share of requests emitted as events, 0...1.
    public var sampleRate: Double
    public var exclusions: [PathPattern]
    /// Checked in order; the first whose pattern matches decides the rate.
    public var overrides: [RateOverride]
    /// Emit 5xx responses and thrown errors whatever the rate.
    public var alwaysRecordErrors: Bool
    public var random: any MetricsRandomSource

    /// Rates outside 0...1 are clamped (settings parsing rejects them earlier with a message).
    public init(
        sampleRate: Double = 1, exclusions: [PathPattern] = [], overrides: [RateOverride] = [],
        alwaysRecordErrors: Bool = true, random: any MetricsRandomSource = SystemRandomSource()
    ) {
        self.sampleRate = sampleRate
        self.exclusions = exclusions
        self.overrides = overrides
        self.alwaysRecordErrors = alwaysRecordErrors
        self.random = random
    }

    public func isExcluded(path: String) -> Bool {
        !exclusions.isEmpty && exclusions.contains { $0.matches(path) }
    }

    /// The rate that applies to `path`: the first matching override's, else ``sampleRate``.
    public func rate(for path: String) -> Double {
        let rate = overrides.isEmpty ? sampleRate : overrides.first { $0.pattern.matches(path) }?.rate ?? sampleRate
        return rate.isNaN ? 0 : min(max(rate, 0), 1)
    }

    public func shouldRecord(path: String, status: Int, threw: Bool) -> Bool {
        if alwaysRecordErrors && (threw || status >= 500) { return true }
        let rate = rate(for: path)
        if rate >= 1 { return true }
        if rate <= 0 { return false }
        return random.nextUnitInterval() < rate
    }
}
