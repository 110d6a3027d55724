import Foundation
import RequestProfilerHTTP
import Testing

/// Hostile requests (``HostileInput``: traversal, NUL and invalid UTF-8 escapes, huge numbers,
/// very long values, many parameters, bad tokens) through a real adapter: every answer is a 200
/// or a 4xx, no file is written outside the reports folder, and the server keeps serving.
///
/// Over loopback the requests go out on a raw socket, byte for byte (an HTTP client would
/// re-encode or refuse them first), with token headers that carry any non-control byte.
enum FuzzScenarios {
    static let requests = 150
    static let token = "fuzz-token"
    /// Cheap routes only: plain, a path parameter, a catch-all, a throwing handler, no route.
    static let routes = ["plain", "users/", "files/", "fails", "missing/"]
    /// The longest request target sent. SwiftNIO's HTTP parser refuses request heads over
    /// 80 KB before any middleware runs (Vapor then closes the connection without an answer,
    /// Hummingbird answers 400), so longer targets would test the framework, not the profiler.
    static let targetLimit = 60_000

    static func hostileRequestsGet200Or4xx(_ harness: any ScenarioHarness) async throws {
        let root = ReportScenarios.temporaryDirectory()
        let reports = root + "/a/b/reports"
        try FileManager.default.createDirectory(atPath: root + "/a/b", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        var settings = TriggerScenarios.enabled
        settings.outputDirectory = reports
        settings.token = token
        try await harness.withServer(settings, state: ScenarioState()) { client in
            var input = HostileInput(seed: 0xF022_0001)
            var saved: Set<String> = []
            for _ in 0..<requests {
                let route = input.pick(routes)
                let target = String(((route.hasSuffix("/") ? route + input.path() : route) + "?" + input.query()).prefix(targetLimit))
                let given = input.chance(50) ? Array(token.utf8) : headerValue(&input)
                let answer: ScenarioResponse?
                if let port = client.loopbackPort {
                    answer = try await RawConnection.get(
                        port: port, target: Array(target.utf8), headers: [Array("\(ProfilingParameter.tokenHeader): ".utf8) + given])
                } else {
                    let printable = String(decoding: given.filter { $0 < 0x80 }, as: UTF8.self)
                    answer = try await client.get(target, headers: [ProfilingParameter.tokenHeader: printable])
                }
                let response = try #require(answer, "\(harness): no answer for \(target.prefix(300))")
                #expect(response.status == 200 || (400...499).contains(response.status),
                        "\(harness): HTTP \(response.status) for \(target.prefix(300))")
                if let name = response.header(ProfilingParameter.reportHeader) { saved.insert(name) }
            }
            try await FaultScenarios.expectStillServing(client)
            let tree = try FileManager.default.subpathsOfDirectory(atPath: root)
            let outside = tree.filter { !$0.hasPrefix("a/b/reports/") && !["a", "a/b", "a/b/reports"].contains($0) }
            #expect(outside.isEmpty, "written outside the reports folder: \(outside)")
            let files = Set(tree.filter { $0.hasPrefix("a/b/reports/") }.map { String($0.dropFirst("a/b/reports/".count)) })
            #expect(files == saved)
            #expect(!saved.isEmpty, "no hostile request got as far as a saved report")
        }
    }

    /// A header value a client can put on the wire: any byte but controls (which end or break
    /// the header line), up to 300 bytes, sometimes 6 KB.
    static func headerValue(_ input: inout HostileInput) -> [UInt8] {
        let text = input.chance(5) ? String(repeating: input.pick(["9", "%", "\u{1F600}"]), count: 1_500) : input.randomText(maximum: 300)
        return Array(text.utf8).filter { $0 >= 0x20 && $0 != 0x7F }
    }
}
