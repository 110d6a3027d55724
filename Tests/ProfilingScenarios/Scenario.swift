import RequestProfiler
import RequestProfilerHTTP

/// One named middleware scenario, runnable against any harness. Each adapter's test target
/// runs ``all`` against its harnesses with one parameterized test, so both frameworks are held
/// to the same list and a new scenario reaches both at once.
public struct Scenario: Sendable, CustomStringConvertible {
    public let description: String
    public let run: @Sendable (any ScenarioHarness) async throws -> Void
    /// The transports the scenario can run over (a dropped connection needs a socket).
    public let transports: [ScenarioTransport]

    public init(
        _ description: String, over transports: [ScenarioTransport] = ScenarioTransport.allCases,
        run: @escaping @Sendable (any ScenarioHarness) async throws -> Void
    ) {
        self.description = description
        self.transports = transports
        self.run = run
    }

    /// Each harness with each scenario its transport can run: the arguments of an adapter's
    /// parameterized test.
    public static func pairs<Harness: ScenarioHarness>(_ harnesses: [Harness], _ scenarios: [Scenario]) -> [(Harness, Scenario)] {
        harnesses.flatMap { harness in
            scenarios.filter { $0.transports.contains(harness.transport) }.map { (harness, $0) }
        }
    }

    public static let all: [Scenario] = trigger + reports + isolation + faults

    static let trigger: [Scenario] = [
        Scenario("disabled leaves requests untouched", run: TriggerScenarios.disabledLeavesRequestsUntouched),
        Scenario("enabled without profile=1 is untouched", run: TriggerScenarios.enabledWithoutTheParameterIsUntouched),
        Scenario("bad format or interval is 400", run: TriggerScenarios.badFormatOrIntervalIs400),
        Scenario("token required when configured", run: TriggerScenarios.tokenIsRequiredWhenConfigured),
    ] + [OverLimitPolicy.serveUnprofiled, .reject].map { policy in
        Scenario("concurrency limit, policy \(policy.rawValue)") { try await TriggerScenarios.concurrencyLimit($0, policy: policy) }
    }

    static let reports: [Scenario] = ProfileFormat.allCases.map { format in
        Scenario("\(format.rawValue) report replaces the response") {
            try await ReportScenarios.everyFormatReplacesTheResponse($0, format: format)
        }
    } + [
        Scenario("default format from the settings", run: ReportScenarios.defaultFormatComesFromTheSettings),
        Scenario("report names method, route, status, duration", run: ReportScenarios.reportDescribesTheRequest),
        Scenario("maximum duration cuts the report", run: ReportScenarios.maximumDurationCutsTheReport),
        Scenario("saved report keeps the original response", run: ReportScenarios.savedReportKeepsTheOriginalResponse),
    ] + ReportScenarios.hostilePaths.map { path in
        Scenario("hostile request \(path) stays in the directory") {
            try await ReportScenarios.hostileRequestsCannotLeaveTheDirectory($0, path: path)
        }
    }

    static let faults: [Scenario] = [
        Scenario("fault: throwing handler, then a plain request", run: FaultScenarios.throwingHandlerIsAnsweredBothWays),
        Scenario("fault: handler past the time limit completes", run: FaultScenarios.handlerPastTheTimeLimitCompletes),
        Scenario("fault: unwritable report folder, every format", run: FaultScenarios.unwritableReportFolderKeepsServing),
        Scenario("fault: reports folder's disk nearly full", run: FaultScenarios.nearlyFullDiskKeepsServing),
        Scenario("fault: client disconnects mid-profile", over: [.loopback], run: FaultScenarios.clientDisconnectingMidProfileFreesItsSlot),
        Scenario("fuzz: hostile requests get 200 or 4xx", run: FuzzScenarios.hostileRequestsGet200Or4xx),
    ]

    static let isolation: [Scenario] = [
        Scenario("every handler kind's frames are sampled") { harness in
            for kind in harness.handlerKinds { try await IsolationScenarios.handlerFramesAreSampled(harness, kind: kind) }
        },
        Scenario("concurrent unprofiled request is not in the report", run: IsolationScenarios.concurrentUnprofiledRequestIsNotInTheReport),
    ]
}
