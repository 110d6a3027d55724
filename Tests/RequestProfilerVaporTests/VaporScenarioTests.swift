#if Vapor
import ProfilingScenarios
import RequestProfiler
import RequestProfilerHTTP
import Testing

// Every middleware scenario, against Vapor in memory and over a loopback socket.

@Suite("Vapor: trigger") struct VaporTriggerTests {
    @Test(arguments: VaporHarness.all) func disabledLeavesRequestsUntouched(_ harness: VaporHarness) async throws {
        try await TriggerScenarios.disabledLeavesRequestsUntouched(harness)
    }
    @Test(arguments: VaporHarness.all) func enabledWithoutTheParameterIsUntouched(_ harness: VaporHarness) async throws {
        try await TriggerScenarios.enabledWithoutTheParameterIsUntouched(harness)
    }
    @Test(arguments: VaporHarness.all) func badFormatOrIntervalIs400(_ harness: VaporHarness) async throws {
        try await TriggerScenarios.badFormatOrIntervalIs400(harness)
    }
    @Test(arguments: VaporHarness.all) func tokenIsRequiredWhenConfigured(_ harness: VaporHarness) async throws {
        try await TriggerScenarios.tokenIsRequiredWhenConfigured(harness)
    }
    @Test(arguments: VaporHarness.all, [OverLimitPolicy.serveUnprofiled, .reject])
    func concurrencyLimit(_ harness: VaporHarness, policy: OverLimitPolicy) async throws {
        try await TriggerScenarios.concurrencyLimit(harness, policy: policy)
    }
}

@Suite("Vapor: reports") struct VaporReportTests {
    @Test(arguments: VaporHarness.all, ProfileFormat.allCases)
    func everyFormatReplacesTheResponse(_ harness: VaporHarness, format: ProfileFormat) async throws {
        try await ReportScenarios.everyFormatReplacesTheResponse(harness, format: format)
    }
    @Test(arguments: VaporHarness.all) func defaultFormatComesFromTheSettings(_ harness: VaporHarness) async throws {
        try await ReportScenarios.defaultFormatComesFromTheSettings(harness)
    }
    @Test(arguments: VaporHarness.all) func reportDescribesTheRequest(_ harness: VaporHarness) async throws {
        try await ReportScenarios.reportDescribesTheRequest(harness)
    }
    @Test(arguments: VaporHarness.all) func maximumDurationCutsTheReport(_ harness: VaporHarness) async throws {
        try await ReportScenarios.maximumDurationCutsTheReport(harness)
    }
    @Test(arguments: VaporHarness.all) func savedReportKeepsTheOriginalResponse(_ harness: VaporHarness) async throws {
        try await ReportScenarios.savedReportKeepsTheOriginalResponse(harness)
    }
    @Test(arguments: VaporHarness.all, ReportScenarios.hostilePaths)
    func hostileRequestsCannotLeaveTheDirectory(_ harness: VaporHarness, path: String) async throws {
        try await ReportScenarios.hostileRequestsCannotLeaveTheDirectory(harness, path: path)
    }
    @Test(arguments: VaporHarness.all) func unwritableDirectoryKeepsTheRequestWorking(_ harness: VaporHarness) async throws {
        try await ReportScenarios.unwritableDirectoryKeepsTheRequestWorking(harness)
    }
}

@Suite("Vapor: the report covers only that request") struct VaporIsolationTests {
    @Test(arguments: VaporHarness.all) func handlerFramesAreSampled(_ harness: VaporHarness) async throws {
        for kind in harness.handlerKinds {
            try await IsolationScenarios.handlerFramesAreSampled(harness, kind: kind)
        }
    }
    @Test(arguments: VaporHarness.all) func concurrentUnprofiledRequestIsNotInTheReport(_ harness: VaporHarness) async throws {
        try await IsolationScenarios.concurrentUnprofiledRequestIsNotInTheReport(harness)
    }
}
#endif
