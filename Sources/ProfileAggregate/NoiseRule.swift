/// When a change in a frame's time per request is within sampling error.
///
/// A frame's self time per request is estimated from samples taken every `interval`; with k
/// samples of it the estimate's variance is about `interval × time` (sample counts are close
/// to Poisson). Between requests it also varies for real. So the change of the mean between
/// two sets (n₁ and n₂ requests, sample variances s₁², s₂², means m₁, m₂) has a standard error of
///
///     SE = sqrt(s₁²/n₁ + s₂²/n₂ + interval × (m₁/n₁ + m₂/n₂))
///
/// (s² is 0 for a set of one request). A change is **noise** when `|Δ| < 2·SE` (about 95%
/// confidence) or when it is below one sampling interval per request, which no sampler can
/// resolve.
public struct NoiseRule: Sendable {
    /// How many standard errors a change must exceed.
    public var standardErrors: Double = 2

    public init(standardErrors: Double = 2) {
        self.standardErrors = standardErrors
    }

    public var description: String {
        "|change| < \(Self.trimmed(standardErrors))·sqrt(s₁²/n₁ + s₂²/n₂ + interval·(m₁/n₁ + m₂/n₂)) (per-request variances s², means m, request counts n) or < one sampling interval."
    }

    /// The smallest real change for a frame whose per-request times were `before` and `after`.
    public func threshold(before: [UInt64], after: [UInt64], intervalNanoseconds: UInt64) -> UInt64 {
        threshold(before: RequestValues(before), after: RequestValues(after), intervalNanoseconds: intervalNanoseconds)
    }

    /// The same of times held for the requests a frame appeared in (the others' are 0).
    func threshold(before: RequestValues, after: RequestValues, intervalNanoseconds: UInt64) -> UInt64 {
        let interval = Double(intervalNanoseconds)
        let variance = before.varianceOfMean + after.varianceOfMean
            + interval * (before.mean / Double(max(before.requestCount, 1)) + after.mean / Double(max(after.requestCount, 1)))
        let threshold = max(standardErrors * variance.squareRoot(), interval).rounded()
        // An endless or undefined factor (code may pass any Double) makes every change noise,
        // instead of trapping on the conversion.
        guard threshold.isFinite, threshold < Double(UInt64.max) else { return .max }
        return UInt64(threshold)
    }

    private static func trimmed(_ value: Double) -> String {
        value.isFinite && value == value.rounded() && value.magnitude < 1e15 ? String(Int(value)) : String(value)
    }
}
