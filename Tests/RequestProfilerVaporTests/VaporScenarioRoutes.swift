#if Vapor
import ProfilingScenarios
import Vapor

/// The routes ``ScenarioState`` lists, in Vapor's flavours: async, sync and EventLoopFuture
/// handlers, and an async middleware on a route group.
struct VaporScenarioRoutes {
    let state: ScenarioState

    func register(on app: Application) {
        app.get("plain") { _ in "plain body" }
        app.get("users", ":id") { req in "user \(req.parameters.get("id") ?? "")" }
        app.get("files", "**") { req in "file \(req.parameters.getCatchall().joined(separator: "/"))" }
        app.get("async") { _ async -> String in "async \(alphaHandlerWork())" }
        app.get("sync") { _ -> String in "sync \(syncHandlerWork())" }
        app.get("future") { req -> EventLoopFuture<String> in
            req.eventLoop.makeSucceededFuture("future \(futureHandlerWork())")
        }
        app.get("after-await") { _ async throws -> String in
            try await Task.sleep(for: .milliseconds(5))
            return "after \(afterAwaitWork())"
        }
        app.grouped(BusyAsyncMiddleware()).get("grouped") { _ async throws -> String in
            try await Task.sleep(for: .milliseconds(1))
            return "grouped \(afterAwaitWork())"
        }
        app.get("fails") { _ async throws -> String in throw Abort(.imATeapot) }
        app.get("crashes") { _ async throws -> String in throw ScenarioFailure() }
        app.get("alpha") { [state] _ async -> String in
            defer { state.alphaDone.set() }
            return "alpha \(alphaHandlerWork())"
        }
        app.get("beta") { [state] _ async -> String in
            state.betaStarted.set()
            return "beta \(betaHandlerWork(until: state.alphaDone))"
        }
        app.get("gate") { [state] _ async throws -> String in
            state.gateEntered.set()
            try await state.gateOpen.wait()
            return "through the gate"
        }
    }
}

/// A route-group middleware that works after an await.
struct BusyAsyncMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        try await Task.sleep(for: .milliseconds(1))
        _ = groupMiddlewareWork()
        return try await next.respond(to: request)
    }
}
#endif
