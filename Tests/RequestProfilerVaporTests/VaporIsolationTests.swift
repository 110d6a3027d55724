#if Vapor
import RequestProfilerHTTP
import Testing
import Vapor
import VaporTesting

/// Point 4 of the middleware issue: the report covers the profiled request's own frames,
/// whatever kind of handler, after awaits and in route-group middleware, and nothing of a
/// request served at the same time.
@Suite("Vapor middleware: the report covers only that request")
struct VaporIsolationTests {
    /// The collapsed-stacks report of one profiled request.
    private func collapsedReport(_ app: Application, _ path: String) async throws -> String {
        let response = try await get(app, path + "?profile=1&profile_format=collapsed")
        #expect(response.status == .ok)
        return response.text
    }

    @Test(arguments: [
        ("async", ["alphaHandlerWork"]),
        ("sync", ["syncHandlerWork"]),
        ("future", ["futureHandlerWork"]),
        ("after-await", ["afterAwaitWork"]),
        ("grouped", ["groupMiddlewareWork", "afterAwaitWork"]),
    ])
    func handlerFramesAreSampled(path: String, functions: [String]) async throws {
        try await withProfiledApp(enabled) { app in
            let report = try await collapsedReport(app, path)
            for function in functions {
                #expect(report.contains(function), "\(function) missing from the report of /\(path)")
            }
        }
    }

    @Test func concurrentUnprofiledRequestIsNotInTheReport() async throws {
        let routes = TestRoutes()
        try await withProfiledApp(enabled, routes: routes) { app in
            async let beta = get(app, "beta")
            try await routes.betaStarted.wait()
            let report = try await collapsedReport(app, "alpha")
            let betaResponse = try await beta
            #expect(betaResponse.text.hasPrefix("beta "))
            #expect(report.contains("alphaHandlerWork"))
            #expect(!report.contains("betaHandlerWork"))
        }
    }
}
#endif
