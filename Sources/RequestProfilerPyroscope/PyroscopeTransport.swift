import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends one ingest request and returns the HTTP status. The exporter retries on thrown
/// errors, 408, 429 and 5xx. A protocol so tests can stand in a slow or failing server.
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
        let body = Data(request.body)
        // URLSession's timeout is an idle timeout, reset by every byte received: a server that
        // answers a byte at a time would hold the upload (and the exporter's worker) for good.
        // The whole request is cancelled at `timeout`, as the settings promise.
        let upload = Task { try await URLSession.shared.upload(for: urlRequest, from: body) }
        let deadline = Task {
            try await Task.sleep(for: timeout)
            upload.cancel()
        }
        defer { deadline.cancel() }
        let result = await withTaskCancellationHandler {
            await upload.result
        } onCancel: {
            upload.cancel()
        }
        switch result {
        case .success(let (_, response)):
            return (response as? HTTPURLResponse)?.statusCode ?? 0
        case .failure where upload.isCancelled && !Task.isCancelled:
            throw URLError(.timedOut)
        case .failure(let error):
            throw error
        }
    }
}
