/// A per-path sample rate (`pattern=rate` in `PROFILING_METRICS_OVERRIDES`): e.g. record every
/// `/checkout/*` request while sampling the rest at 10%.
public struct RateOverride: Sendable, Equatable {
    public var pattern: PathPattern
    /// 0...1; values outside are clamped by ``MetricsPolicy``.
    public var rate: Double

    public init(pattern: PathPattern, rate: Double) {
        self.pattern = pattern
        self.rate = rate
    }
}
