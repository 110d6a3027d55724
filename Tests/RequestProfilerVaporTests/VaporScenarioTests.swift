#if Vapor
import ProfilingScenarios
import Testing

/// Every middleware scenario (see `Scenario.all`), against Vapor in memory and over loopback.
/// Serialized: the scenarios' handlers burn CPU on purpose, and run side by side on two
/// cores they would starve each other's tasks of threads.
@Test(.serialized, arguments: VaporHarness.all, Scenario.all)
func vaporScenario(_ harness: VaporHarness, _ scenario: Scenario) async throws {
    try await scenario.run(harness)
}
#endif
