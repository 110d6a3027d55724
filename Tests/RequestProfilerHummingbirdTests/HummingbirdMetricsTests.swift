#if Hummingbird
import ProfilingScenarios
import Testing

/// Metrics, dashboard and auto-capture (see `Scenario.metrics`) against Hummingbird, in memory
/// and over loopback.
@Test(.serialized, arguments: HummingbirdHarness.all, Scenario.metrics)
func hummingbirdMetricsScenario(_ harness: HummingbirdHarness, _ scenario: Scenario) async throws {
    try await scenario.run(harness)
}
#endif
