import Testing

@testable import RequestMetrics

@Suite struct MetricsPolicyTests {
    /// Counts how many of `draws` decisions record, with a fixed seed.
    private func recordedCount(_ policy: MetricsPolicy, path: String, draws: Int = 10_000, status: Int = 200) -> Int {
        (0..<draws).count { _ in policy.shouldRecord(path: path, status: status, threw: false) }
    }

    /// |observed - n p| within 4 standard deviations of a binomial(n, p): fails by chance with
    /// probability < 1e-4, and the seed makes it deterministic anyway.
    private func isWithinBinomialBound(_ observed: Int, draws: Int, rate: Double) -> Bool {
        let mean = Double(draws) * rate
        let sd = (Double(draws) * rate * (1 - rate)).squareRoot()
        return abs(Double(observed) - mean) <= 4 * sd
    }

    @Test(arguments: [0.01, 0.25, 0.5, 0.9])
    func sampleRateIsStatisticallyRight(rate: Double) {
        let policy = MetricsPolicy(sampleRate: rate, random: SeededRandomSource(seed: 7))
        let observed = recordedCount(policy, path: "/a")
        #expect(isWithinBinomialBound(observed, draws: 10_000, rate: rate), "\(observed) of 10000 at \(rate)")
    }

    @Test func ratesZeroAndOneAreExact() {
        #expect(recordedCount(MetricsPolicy(sampleRate: 0, random: SeededRandomSource(seed: 1)), path: "/") == 0)
        #expect(recordedCount(MetricsPolicy(sampleRate: 1, random: SeededRandomSource(seed: 1)), path: "/") == 10_000)
        // Out-of-range rates are clamped rather than trusted.
        #expect(recordedCount(MetricsPolicy(sampleRate: 7, random: SeededRandomSource(seed: 1)), path: "/") == 10_000)
        #expect(recordedCount(MetricsPolicy(sampleRate: -1, random: SeededRandomSource(seed: 1)), path: "/") == 0)
    }

    @Test func firstMatchingOverrideWins() throws {
        let policy = MetricsPolicy(
            sampleRate: 0,
            overrides: [
                RateOverride(pattern: try PathPattern(parsing: "/api/checkout"), rate: 1),
                RateOverride(pattern: try PathPattern(parsing: "/api/*"), rate: 0.25),
                RateOverride(pattern: try PathPattern(parsing: "re:/api/.*"), rate: 0),
            ],
            random: SeededRandomSource(seed: 3))
        #expect(policy.rate(for: "/api/checkout") == 1)
        #expect(policy.rate(for: "/api/items") == 0.25)
        #expect(policy.rate(for: "/other") == 0)
        #expect(recordedCount(policy, path: "/api/checkout") == 10_000)
        #expect(isWithinBinomialBound(recordedCount(policy, path: "/api/items"), draws: 10_000, rate: 0.25))
        #expect(recordedCount(policy, path: "/other") == 0)
    }

    @Test func exclusionsMatchOnlyTheirPaths() throws {
        let policy = MetricsPolicy(exclusions: [try PathPattern(parsing: "/health"), try PathPattern(parsing: "/static/*")])
        #expect(policy.isExcluded(path: "/health"))
        #expect(policy.isExcluded(path: "/static/app.css"))
        #expect(!policy.isExcluded(path: "/healthz"))
        #expect(!policy.isExcluded(path: "/users/1"))
    }

    @Test func errorsAreAlwaysRecordedUnlessTurnedOff() {
        let always = MetricsPolicy(sampleRate: 0, random: SeededRandomSource(seed: 5))
        #expect(recordedCount(always, path: "/", status: 500) == 10_000)
        #expect(recordedCount(always, path: "/", status: 503) == 10_000)
        #expect((0..<1000).allSatisfy { _ in always.shouldRecord(path: "/", status: 200, threw: true) })
        #expect(recordedCount(always, path: "/", status: 404) == 0)  // 4xx is not an error here

        let off = MetricsPolicy(sampleRate: 0, alwaysRecordErrors: false, random: SeededRandomSource(seed: 5))
        #expect(recordedCount(off, path: "/", status: 500) == 0)
        #expect((0..<1000).allSatisfy { _ in !off.shouldRecord(path: "/", status: 200, threw: true) })
    }

    @Test func seededSourceIsReproducibleAndInUnitInterval() {
        let a = SeededRandomSource(seed: 11), b = SeededRandomSource(seed: 11)
        let first = (0..<1000).map { _ in a.nextUnitInterval() }
        #expect(first == (0..<1000).map { _ in b.nextUnitInterval() })
        #expect(first.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(Set(first).count == 1000)
    }
}
