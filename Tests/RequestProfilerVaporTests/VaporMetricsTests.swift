#if Vapor
import ProfilingScenarios
import Testing

/// Metrics, dashboard and auto-capture (see `Scenario.metrics`) against Vapor, in memory and
/// over loopback.
@Test(.serialized, arguments: VaporHarness.all, Scenario.metrics)
func vaporMetricsScenario(_ harness: VaporHarness, _ scenario: Scenario) async throws {
    try await scenario.run(harness)
}
#endif
