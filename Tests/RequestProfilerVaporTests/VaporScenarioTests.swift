#if Vapor
import ProfilingScenarios
import Testing

/// Every middleware scenario (see `Scenario.all`) against Vapor in memory and over loopback,
/// each over the transports it can run on (`Scenario.pairs`).
/// Serialized: the scenarios' handlers burn CPU on purpose, and run side by side on two
/// cores they would starve each other's tasks of threads.
@Test(.serialized, .timeLimit(.minutes(3)), arguments: Scenario.pairs(VaporHarness.all, Scenario.all))
func vaporScenario(_ harness: VaporHarness, _ scenario: Scenario) async throws {
    try await scenario.run(harness)
}
#endif
