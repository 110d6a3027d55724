import Testing

/// The report covers the profiled request's own frames, whatever kind of handler, after
/// awaits and in route-group middleware, and nothing of a request served at the same time.
public enum IsolationScenarios {
    public static func handlerFramesAreSampled(_ harness: some ScenarioHarness, kind: HandlerKind) async throws {
        try await harness.withServer(TriggerScenarios.enabled, state: ScenarioState()) { client in
            let report = try await client.get(kind.path + "?profile=1&profile_format=collapsed")
            #expect(report.status == 200)
            for function in kind.functions {
                #expect(report.text.contains(function), "\(function) missing from the report of \(kind)")
            }
        }
    }

    /// Two requests at once, only one profiled, busy in different functions.
    public static func concurrentUnprofiledRequestIsNotInTheReport(_ harness: some ScenarioHarness) async throws {
        let state = ScenarioState()
        try await harness.withServer(TriggerScenarios.enabled, state: state) { client in
            async let beta = client.get("beta")
            try await state.betaStarted.wait()
            let report = try await client.get("alpha?profile=1&profile_format=collapsed").text
            let betaResponse = try await beta
            #expect(betaResponse.text.hasPrefix("beta "))
            #expect(report.contains("alphaHandlerWork"))
            #expect(!report.contains("betaHandlerWork"))
        }
    }
}
