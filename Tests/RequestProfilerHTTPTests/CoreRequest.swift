import Foundation
@testable import RequestProfilerHTTP

/// Sends one request through ``RequestProfilingCore/handle`` as an adapter would: the path
/// decides the route template (`/users/7` -> `/users/:id`, anything else is its own template,
/// `/missing...` matches no route), `work` is the handler.
struct CoreRequest {
    var method = "GET"
    var path: String
    var query: String? = nil
    var headers: [String: String] = [:]

    var route: String? {
        if path.hasPrefix("/missing") { return nil }
        if path.hasPrefix("/users/") { return "/users/:id" }
        return path
    }

    func send(
        to core: RequestProfilingCore, work: @escaping @Sendable () async throws -> String = { "ok" }
    ) async throws -> ProfilingOutcome<String> {
        let headers = self.headers
        return try await core.handle(
            rawQuery: query,
            header: { name in headers.first { $0.key.lowercased() == name.lowercased() }?.value },
            method: method, path: path, route: { route },
            status: { result in
                switch result {
                case .success: 200
                case .failure(let error as CoreTestError): error.status
                case .failure: 500
                }
            },
            requestBytes: { 0 },
            responseBytes: { $0.utf8.count },
            next: work)
    }

    /// The response the client would see: a replacement, or the handler's body (200).
    func response(from core: RequestProfilingCore, work: @escaping @Sendable () async throws -> String = { "ok" }) async throws
        -> ProfilingResponse
    {
        switch try await send(to: core, work: work) {
        case .replaced(let response): return response
        case .original(let result, let headers):
            do {
                return ProfilingResponse(status: 200, headers: headers, body: Array(try result.get().utf8))
            } catch let error as CoreTestError {
                return ProfilingResponse(status: error.status, headers: headers, body: [])
            }
        }
    }
}

/// A handler failure with a status, as a framework's HTTP error would carry.
struct CoreTestError: Error {
    var status: Int
}

extension ProfilingResponse {
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(body))
    }
}

/// A fresh directory under the system's temporary directory, removed by ``remove()``.
struct ScratchDirectory {
    let path: String

    init(_ label: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("rp-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The reports in the folder: hidden files (the registry's `.profiles.jsonl`) left out.
    func files() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Busy work for `duration`, so that the sampler sees the handler running.
@inline(never) func busy(for duration: Duration) -> Int {
    var total = 0
    let deadline = ContinuousClock.now + duration
    while ContinuousClock.now < deadline { for value in 0..<1_000 { total &+= value &* 7 } }
    return total
}
