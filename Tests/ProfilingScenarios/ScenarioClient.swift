/// Sends requests to a server under test: in process (VaporTesting, HummingbirdTesting's
/// router) or over a loopback socket.
public protocol ScenarioClient: Sendable {
    /// `GET /<pathAndQuery>` (no leading slash) with these request headers.
    func get(_ pathAndQuery: String, headers: [String: String]) async throws -> ScenarioResponse
    /// The server's port when it listens on loopback (nil in memory), for scenarios that need
    /// a raw connection.
    var loopbackPort: Int? { get }
}

extension ScenarioClient {
    public var loopbackPort: Int? { nil }

    public func get(_ pathAndQuery: String) async throws -> ScenarioResponse {
        try await get(pathAndQuery, headers: [:])
    }
}
