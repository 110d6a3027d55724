/// When a change in a frame's time per request is within sampling error.
///
/// A frame's self time per request is estimated from samples taken every `interval` (each
/// request's own); with k samples of it the estimate's variance is about `interval × time`
/// (sample counts are close to Poisson). Between requests it also varies for real. So the
/// change of the mean between two sets (n₁ and n₂ requests, sample variances s₁², s₂², and q₁,
/// q₂ the means over each set's requests of `interval × time`) has a standard error of
///
///     SE = sqrt(s₁²/n₁ + s₂²/n₂ + q₁/n₁ + q₂/n₂)
///
/// (s² is 0 for a set of one request; with one interval for all, q/n = interval × m/n for a
/// mean m). A change is **noise** when `|Δ| < 2·SE` (about 95% confidence) or when it is
/// below the mean sampling interval of either set, which its sampler cannot resolve.
public struct NoiseRule: Sendable {
    /// How many standard errors a change must exceed.
    public var standardErrors: Double = 2

    public init(standardErrors: Double = 2) {
        self.standardErrors = standardErrors
    }

    public var description: String {
        "|change| < \(Self.trimmed(standardErrors))·sqrt(s₁²/n₁ + s₂²/n₂ + q₁/n₁ + q₂/n₂) (per-request variances s², request counts n, q the mean of each request's sampling interval × time) or < either set's mean sampling interval."
    }

    /// The smallest real change for a frame whose per-request times were `before` and `after`,
    /// every request sampled every `intervalNanoseconds`.
    public func threshold(before: [UInt64], after: [UInt64], intervalNanoseconds: UInt64) -> UInt64 {
        func sampled(_ values: [UInt64]) -> SampledTimes {
            SampledTimes(
                values: RequestValues(values), listedIntervals: values.map { _ in intervalNanoseconds },
                meanInterval: Double(intervalNanoseconds))
        }
        return threshold(before: sampled(before), after: sampled(after))
    }

    /// The same of times each weighed by its own request's interval.
    func threshold(before: SampledTimes, after: SampledTimes) -> UInt64 {
        let variance = before.values.varianceOfMean + after.values.varianceOfMean
            + before.samplingVarianceOfMean + after.samplingVarianceOfMean
        let threshold = max(standardErrors * variance.squareRoot(), before.meanInterval, after.meanInterval).rounded()
        // An endless or undefined factor (code may pass any Double) makes every change noise,
        // instead of trapping on the conversion.
        guard threshold.isFinite, threshold < Double(UInt64.max) else { return .max }
        return UInt64(threshold)
    }

    private static func trimmed(_ value: Double) -> String {
        value.isFinite && value == value.rounded() && value.magnitude < 1e15 ? String(Int(value)) : String(value)
    }
}
