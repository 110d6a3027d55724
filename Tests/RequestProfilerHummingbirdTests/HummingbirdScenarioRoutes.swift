#if Hummingbird
import Hummingbird
import ProfilingScenarios

/// The routes ``ScenarioState`` lists, on a Hummingbird router, and a route-group middleware
/// that works after an await.
struct HummingbirdScenarioRoutes {
    let state: ScenarioState

    func register(on router: Router<BasicRequestContext>) {
        router.get("plain") { _, _ in "plain body" }
        router.get("users/:id") { _, context in "user \(context.parameters.get("id") ?? "")" }
        router.get("files/**") { _, context in "file \(context.parameters.getCatchAll().joined(separator: "/"))" }
        router.get("async") { _, _ async -> String in "async \(alphaHandlerWork())" }
        router.get("sync") { _, _ -> String in "sync \(syncHandlerWork())" }
        router.get("after-await") { _, _ async throws -> String in
            try await Task.sleep(for: .milliseconds(5))
            return "after \(afterAwaitWork())"
        }
        router.group("grouped").add(middleware: BusyGroupMiddleware()).get { _, _ async throws -> String in
            try await Task.sleep(for: .milliseconds(1))
            return "grouped \(afterAwaitWork())"
        }
        router.get("fails") { _, _ -> String in throw HTTPError(HTTPResponse.Status(code: 418)) }
        router.get("crashes") { _, _ -> String in throw ScenarioFailure() }
        router.get("alpha") { [state] _, _ async -> String in
            defer { state.alphaDone.set() }
            return "alpha \(alphaHandlerWork())"
        }
        router.get("beta") { [state] _, _ async -> String in
            state.betaStarted.set()
            return "beta \(betaHandlerWork(until: state.alphaDone))"
        }
        router.get("gate") { [state] _, _ async throws -> String in
            state.gateEntered.set()
            try await state.gateOpen.wait()
            return "through the gate"
        }
    }
}

struct BusyGroupMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await Task.sleep(for: .milliseconds(1))
        _ = groupMiddlewareWork()
        return try await next(request, context)
    }
}
#endif
