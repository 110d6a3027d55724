import Testing

/// The report covers the profiled request's own frames, whatever kind of handler, after
/// awaits and in route-group middleware, and nothing of a request served at the same time.
enum IsolationScenarios {
    static func handlerFramesAreSampled(_ harness: any ScenarioHarness, kind: HandlerKind) async throws {
        try await harness.withServer(TriggerScenarios.enabled, state: ScenarioState()) { client in
            let report = try await client.get(kind.path + "?profile=1&profile_format=collapsed")
            #expect(report.status == 200)
            for function in kind.functions {
                #expect(report.text.contains(function), "\(function) missing from the report of \(kind)")
            }
        }
    }

    /// Two requests at once, only one profiled, busy in different functions.
    static func concurrentUnprofiledRequestIsNotInTheReport(_ harness: any ScenarioHarness) async throws {
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
