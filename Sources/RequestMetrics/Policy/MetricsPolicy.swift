/// Which requests are measured and which are written out as events.
///
/// Three decisions, at two moments: before the handler, exclusions (an excluded path costs
/// nothing) and the sampling draw (so the request's spans know whether they are written);
/// after it, whether a request the draw left out is written all the same because it failed.
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
        return draws(path: path)
    }

    /// The sampling draw for a request of `path`, at its rate; made when the request starts.
    public func draws(path: String) -> Bool {
        let rate = rate(for: path)
        if rate >= 1 { return true }
        if rate <= 0 { return false }
        return random.nextUnitInterval() < rate
    }

    /// Whether a finished request is written: drawn when it started, or failed while errors are
    /// always written.
    public func shouldRecord(drawn: Bool, status: Int, threw: Bool) -> Bool {
        drawn || alwaysRecordErrors && (threw || status >= 500)
    }
}
