/// Sends requests to a server under test: in process (VaporTesting, HummingbirdTesting's
/// router) or over a loopback socket.
public protocol ScenarioClient: Sendable {
    /// `GET /<pathAndQuery>` (no leading slash) with these request headers.
    func get(_ pathAndQuery: String, headers: [String: String]) async throws -> ScenarioResponse
}

extension ScenarioClient {
    public func get(_ pathAndQuery: String) async throws -> ScenarioResponse {
        try await get(pathAndQuery, headers: [:])
    }
}
