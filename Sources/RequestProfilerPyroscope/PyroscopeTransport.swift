import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends one ingest request and returns the HTTP status. The exporter retries on thrown
/// errors, 429 and 5xx. A protocol so tests can stand in a slow or failing server.
public protocol PyroscopeTransport: Sendable {
    func send(_ request: PyroscopeIngestRequest, timeout: Duration) async throws -> Int
}

/// The default transport: Foundation's URLSession (libcurl on Linux), no extra dependency.
public struct URLSessionPyroscopeTransport: PyroscopeTransport {
    public init() {}

    public func send(_ request: PyroscopeIngestRequest, timeout: Duration) async throws -> Int {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = "POST"
        urlRequest.timeoutInterval = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        for header in request.headers {
            urlRequest.setValue(header.value, forHTTPHeaderField: header.name)
        }
        let (_, response) = try await URLSession.shared.upload(for: urlRequest, from: Data(request.body))
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
