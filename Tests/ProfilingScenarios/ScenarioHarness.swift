import RequestProfilerHTTP

/// A framework (and a way of reaching it) the middleware scenarios run against. The scenarios
/// are written once, so Vapor and Hummingbird, in process and over a socket, are held to
/// exactly the same behaviour.
public protocol ScenarioHarness: Sendable, CustomStringConvertible {
    /// How the scenarios reach the app: in process, or over a loopback socket.
    var transport: ScenarioTransport { get }
    /// The template this framework reports for the `users/:id` route (`/users/:id`, `/users/{id}`).
    var usersRouteTemplate: String { get }
    /// The template this framework reports for the `files/**` catch-all route.
    var filesRouteTemplate: String { get }
    /// The handler kinds this framework has.
    var handlerKinds: [HandlerKind] { get }
    /// Starts an app with the profiling middleware built from `settings` and the routes that
    /// ``ScenarioState`` lists, runs `body` against it, and shuts it down.
    func withServer(
        _ settings: ProfilingSettings, state: ScenarioState,
        _ body: @Sendable (any ScenarioClient) async throws -> Void
    ) async throws
}
