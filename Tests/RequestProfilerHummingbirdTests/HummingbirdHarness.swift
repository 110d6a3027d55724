#if Hummingbird
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ProfilingScenarios
import RequestProfilerHTTP
import RequestProfilerHummingbird

/// Runs the scenarios against a Hummingbird app: through HummingbirdTesting's router (no
/// socket), or through a real server on a loopback port with AsyncHTTPClient (`.ahc`, which
/// opens a connection per concurrent request, as the concurrency scenarios need).
struct HummingbirdHarness: ScenarioHarness {
    let transport: ScenarioTransport
    static let all = ScenarioTransport.allCases.map(HummingbirdHarness.init(transport:))

    var description: String { "Hummingbird \(transport.rawValue)" }
    var usersRouteTemplate: String { "/users/{id}" }
    var filesRouteTemplate: String { "/files/**" }
    var handlerKinds: [HandlerKind] { HandlerKind.common }

    func withServer(
        _ settings: ProfilingSettings, state: ScenarioState,
        _ body: @Sendable (any ScenarioClient) async throws -> Void
    ) async throws {
        let router = Router()
        let profiling = RequestProfilingMiddleware<BasicRequestContext>(settings)
        router.add(middleware: profiling)
        HummingbirdScenarioRoutes(state: state).register(on: router)
        // As README sets it up: the metrics service drains the collector when the app stops,
        // so no collector thread outlives its scenario (writing into a folder the scenario
        // has removed).
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), services: [profiling.metricsService])
        try await app.test(transport == .inMemory ? .router : .ahc(.http)) { client in
            try await body(Client(client: client))
        }
    }

    private struct Client: ScenarioClient {
        let client: any TestClientProtocol
        var loopbackPort: Int? { client.port }

        func get(_ pathAndQuery: String, headers: [String: String]) async throws -> ScenarioResponse {
            var fields = HTTPFields()
            for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
            let response = try await client.executeRequest(uri: "/" + pathAndQuery, method: .get, headers: fields, body: nil)
            return ScenarioResponse(
                status: response.status.code,
                headers: response.headers.map { ($0.name.rawName, $0.value) },
                body: Array(buffer: response.body))
        }
    }
}
#endif
