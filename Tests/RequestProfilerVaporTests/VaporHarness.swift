#if Vapor
import ProfilingScenarios
import RequestProfilerHTTP
import RequestProfilerVapor
import Testing
import Vapor
import VaporTesting

/// Runs the scenarios against a Vapor app: through VaporTesting's in-memory responder, or
/// through a real HTTP server on a loopback port with Vapor's own HTTP client.
struct VaporHarness: ScenarioHarness {
    let transport: ScenarioTransport
    static let all = ScenarioTransport.allCases.map(VaporHarness.init(transport:))

    var description: String { "Vapor \(transport.rawValue)" }
    var usersRouteTemplate: String { "/users/:id" }
    var filesRouteTemplate: String { "/files/**" }
    var handlerKinds: [HandlerKind] {
        HandlerKind.common + [HandlerKind(path: "future", functions: ["futureHandlerWork"])]
    }

    func withServer(
        _ settings: ProfilingSettings, state: ScenarioState,
        _ body: @Sendable (any ScenarioClient) async throws -> Void
    ) async throws {
        try await withApp(configure: { app in
            app.enableRequestProfiling(settings)
            VaporScenarioRoutes(state: state).register(on: app)
        }) { app in
            switch transport {
            case .inMemory:
                try await body(InMemoryClient(app: app))
            case .loopback:
                try await app.asyncBoot()
                try await app.server.start(address: .hostname("127.0.0.1", port: 0))
                do {
                    let port = try #require(app.http.server.shared.localAddress?.port)
                    try await body(LoopbackClient(client: app.client, port: port))
                } catch {
                    await app.server.shutdown()
                    throw error
                }
                await app.server.shutdown()
            }
        }
    }

    private struct InMemoryClient: ScenarioClient {
        let app: Application

        func get(_ pathAndQuery: String, headers: [String: String]) async throws -> ScenarioResponse {
            let response = try await app.testing().performTest(request: TestingHTTPRequest(
                method: .GET, url: URI(string: "/" + pathAndQuery), headers: HTTPHeaders(headers.map { ($0, $1) }),
                body: ByteBuffer()))
            return ScenarioResponse(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: Array(buffer: response.body))
        }
    }

    private struct LoopbackClient: ScenarioClient {
        let client: any Client
        let port: Int
        var loopbackPort: Int? { port }

        func get(_ pathAndQuery: String, headers: [String: String]) async throws -> ScenarioResponse {
            let response = try await client.get(
                URI(string: "http://127.0.0.1:\(port)/\(pathAndQuery)"), headers: HTTPHeaders(headers.map { ($0, $1) }))
            return ScenarioResponse(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: response.body.map { Array(buffer: $0) } ?? [])
        }
    }
}
#endif
