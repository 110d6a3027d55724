#if Vapor
import RequestProfiler
import RequestProfilerHTTP
import Testing
import Vapor
import VaporTesting

/// The content type the renderer gives `format` (checked against what the client received).
func expectedContentType(_ format: ProfileFormat) throws -> String {
    try Profile(frames: [], samples: [], metadata: ProfileMetadata()).render(as: format).contentType
}

@Suite("Vapor middleware: trigger, formats, token, limits, bad input")
struct VaporMiddlewareTests {
    @Test func disabledLeavesRequestsUntouched() async throws {
        try await withProfiledApp(ProfilingSettings()) { app in
            for path in ["plain?profile=1", "plain?profile=1&profile_format=bogus", "plain"] {
                let response = try await get(app, path)
                #expect(response.status == .ok)
                #expect(response.text == "plain body")
                #expect(!response.headers.contains { $0.name.lowercased().hasPrefix("x-profile") })
            }
        }
    }

    @Test func enabledWithoutTheParameterIsUntouched() async throws {
        try await withProfiledApp(enabled) { app in
            let response = try await get(app, "plain?profiled=1&x=profile")
            #expect(response.text == "plain body")
            #expect(response.headers.first(name: "Content-Type")?.hasPrefix("text/plain") == true)
        }
    }

    @Test(arguments: ProfileFormat.allCases)
    func everyFormatReplacesTheResponse(format: ProfileFormat) async throws {
        try await withProfiledApp(enabled) { app in
            let response = try await get(app, "async?profile=1&profile_format=\(format.rawValue)")
            #expect(response.status == .ok)
            try #expect(response.headers.first(name: "Content-Type") == expectedContentType(format))
            #expect(response.headers.first(name: "X-Profile-Original-Status") == "200")
            #expect(!response.text.hasPrefix("async "))
            #expect(response.body.readableBytes > 0)
        }
    }

    @Test func defaultFormatComesFromTheSettings() async throws {
        var settings = enabled
        settings.defaultFormat = .collapsed
        try await withProfiledApp(settings) { app in
            let response = try await get(app, "async?profile=true")
            try #expect(response.headers.first(name: "Content-Type") == expectedContentType(.collapsed))
        }
    }

    @Test func badFormatOrIntervalIs400() async throws {
        try await withProfiledApp(enabled) { app in
            let format = try await get(app, "async?profile=1&profile_format=pdf")
            #expect(format.status == .badRequest)
            for name in ProfileFormat.allCases { #expect(format.text.contains(name.rawValue)) }
            let interval = try await get(app, "async?profile=1&profile_interval=forever")
            #expect(interval.status == .badRequest)
            #expect(interval.text.contains("profile_interval"))
        }
    }

    @Test func tokenIsRequiredWhenConfigured() async throws {
        var settings = enabled
        settings.token = "let-me-in"
        try await withProfiledApp(settings) { app in
            #expect(try await get(app, "async?profile=1").status == .forbidden)
            #expect(try await get(app, "async?profile=1", headers: ["X-Profile-Token": "nope"]).status == .forbidden)
            let allowed = try await get(app, "async?profile=1&profile_format=text", headers: ["X-Profile-Token": "let-me-in"])
            #expect(allowed.status == .ok)
            #expect(allowed.headers.first(name: "X-Profile-Original-Status") == "200")
            // The token guards profiling only; ordinary requests never need it.
            #expect(try await get(app, "plain").text == "plain body")
        }
    }

    @Test(arguments: [OverLimitPolicy.serveUnprofiled, .reject])
    func concurrencyLimit(policy: OverLimitPolicy) async throws {
        var settings = enabled
        settings.maximumConcurrentProfiles = 1
        settings.overLimitPolicy = policy
        let routes = TestRoutes()
        try await withProfiledApp(settings, routes: routes) { app in
            async let first = get(app, "gate?profile=1&profile_format=text")
            try await routes.gateEntered.wait()
            let second = try await get(app, "plain?profile=1")
            routes.gateOpen.set()
            #expect(second.headers.first(name: "X-Profile-Skipped")?.contains("concurrency limit") == true)
            switch policy {
            case .serveUnprofiled:
                #expect(second.status == .ok)
                #expect(second.text == "plain body")
            case .reject:
                #expect(second.status == .tooManyRequests)
            }
            let firstResponse = try await first
            #expect(firstResponse.headers.first(name: "X-Profile-Original-Status") == "200")
            // The slot is free again.
            #expect(try await get(app, "plain?profile=1").headers.first(name: "X-Profile-Original-Status") == "200")
        }
    }

    @Test func failingHandlerStillGivesAReportWithItsStatus() async throws {
        try await withProfiledApp(enabled) { app in
            let response = try await get(app, "fails?profile=1&profile_format=text")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "X-Profile-Original-Status") == "418")
        }
    }
}
#endif
