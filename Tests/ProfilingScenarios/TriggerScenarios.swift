import RequestProfiler
import RequestProfilerHTTP
import Testing

/// Scenarios for the trigger stage, run identically against every harness.
enum TriggerScenarios {
    static let enabled = ProfilingSettings(isEnabled: true)

    static func disabledLeavesRequestsUntouched(_ harness: any ScenarioHarness) async throws {
        try await harness.withServer(ProfilingSettings(), state: ScenarioState()) { client in
            for path in ["plain?profile=1", "plain?profile=1&profile_format=bogus", "plain"] {
                let response = try await client.get(path)
                #expect(response.status == 200)
                #expect(response.text == "plain body")
                #expect(!response.headers.contains { $0.name.lowercased().hasPrefix("x-profile") })
            }
        }
    }

    static func enabledWithoutTheParameterIsUntouched(_ harness: any ScenarioHarness) async throws {
        try await harness.withServer(enabled, state: ScenarioState()) { client in
            let response = try await client.get("plain?profiled=1&x=profile")
            #expect(response.text == "plain body")
            #expect(response.header("X-Profile-Original-Status") == nil)
        }
    }

    static func badFormatOrIntervalIs400(_ harness: any ScenarioHarness) async throws {
        try await harness.withServer(enabled, state: ScenarioState()) { client in
            let format = try await client.get("async?profile=1&profile_format=pdf")
            #expect(format.status == 400)
            for name in ProfileFormat.allCases { #expect(format.text.contains(name.rawValue)) }
            let interval = try await client.get("async?profile=1&profile_interval=forever")
            #expect(interval.status == 400)
            #expect(interval.text.contains("profile_interval"))
        }
    }

    static func tokenIsRequiredWhenConfigured(_ harness: any ScenarioHarness) async throws {
        var settings = enabled
        settings.token = "let-me-in"
        try await harness.withServer(settings, state: ScenarioState()) { client in
            #expect(try await client.get("async?profile=1").status == 403)
            #expect(try await client.get("async?profile=1", headers: ["X-Profile-Token": "nope"]).status == 403)
            let allowed = try await client.get("async?profile=1&profile_format=text", headers: ["X-Profile-Token": "let-me-in"])
            #expect(allowed.status == 200)
            #expect(allowed.header("X-Profile-Original-Status") == "200")
            // The token guards profiling only; ordinary requests never need it.
            #expect(try await client.get("plain").text == "plain body")
        }
    }

    static func concurrencyLimit(_ harness: any ScenarioHarness, policy: OverLimitPolicy) async throws {
        var settings = enabled
        settings.maximumConcurrentProfiles = 1
        settings.overLimitPolicy = policy
        let state = ScenarioState()
        try await harness.withServer(settings, state: state) { client in
            async let first = client.get("gate?profile=1&profile_format=text")
            try await state.gateEntered.wait()
            let second = try await client.get("plain?profile=1")
            state.gateOpen.set()
            #expect(second.header("X-Profile-Skipped")?.contains("concurrency limit") == true)
            switch policy {
            case .serveUnprofiled:
                #expect(second.status == 200)
                #expect(second.text == "plain body")
            case .reject:
                #expect(second.status == 429)
            }
            #expect(try await first.header("X-Profile-Original-Status") == "200")
            // The slot is free again.
            #expect(try await client.get("plain?profile=1").header("X-Profile-Original-Status") == "200")
        }
    }
}
