#if Hummingbird
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOHTTP1
import RequestProfilerHTTP
import RequestProfilerHummingbird
import Synchronization
import Testing

/// Middleware added before the profiler sees what it would see without it: the handler's
/// errors, not responses made of them.
@Suite struct HummingbirdMiddlewareOrderTests {
    /// Hummingbird's `FileMiddleware` serves a file only when the rest of the chain throws a 404
    /// error; with the profiler measuring every request, the files must still be served.
    @Test func filesAreServedWhenFileMiddlewareComesFirst() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rp-files-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("static text".utf8).write(to: URL(fileURLWithPath: folder + "/note.txt"))

        let router = Router()
        router.add(middleware: FileMiddleware(folder, searchForIndexHtml: false))
        router.add(middleware: RequestProfilingMiddleware(ProfilingSettings(metrics: MetricsSettings(isEnabled: true))))
        router.get("hello") { _, _ in "hello" }
        let app = Application(router: router)
        try await app.test(.router) { client in
            let file = try await client.execute(uri: "/note.txt", method: .get)
            #expect(file.status == .ok)
            #expect(String(buffer: file.body) == "static text")
            #expect(try await client.execute(uri: "/missing.txt", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/hello", method: .get).status == .ok)
        }
    }

    /// With `FileMiddleware` after the profiler, a served file is what the profiler sees: a 200
    /// whose saved report is named in the response (the README's advice for files).
    @Test func filesServedInsideTheProfilerAreProfiledAsServed() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rp-files-\(UUID().uuidString)").path
        let reports = folder + "/reports"
        try FileManager.default.createDirectory(atPath: folder + "/public", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("static text".utf8).write(to: URL(fileURLWithPath: folder + "/public/note.txt"))

        let router = Router()
        router.add(middleware: RequestProfilingMiddleware(ProfilingSettings(isEnabled: true, outputDirectory: reports)))
        router.add(middleware: FileMiddleware(folder + "/public", searchForIndexHtml: false))
        let app = Application(router: router)
        try await app.test(.router) { client in
            let file = try await client.execute(uri: "/note.txt?profile=1", method: .get)
            #expect(file.status == .ok)
            #expect(String(buffer: file.body) == "static text")
            let name = try #require(file.headers[HTTPField.Name("X-Profile-Report")!])
            #expect(FileManager.default.fileExists(atPath: reports + "/" + name))
        }
    }

    /// A request body cut short or badly chunked makes the handler's body read throw NIO's
    /// HTTPParserError, which Hummingbird answers with a 400: it is the client's error, not a
    /// server failure in the error rate and the recent errors.
    @Test func aMalformedRequestIsAClientErrorNotAServerFailure() async throws {
        let router = Router()
        router.add(middleware: RequestProfilingMiddleware(ProfilingSettings(
            metrics: MetricsSettings(isEnabled: true), dashboard: DashboardSettings(prefix: "/_p"))))
        router.post("upload") { _, _ -> String in throw HTTPParserError.invalidChunkSize }
        let app = Application(router: router)
        try await app.test(.router) { client in
            _ = try? await client.execute(uri: "/upload", method: .post)
            let errors = try await client.execute(uri: "/_p/errors.json", method: .get)
            let listed = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: errors.body).utf8)) as? [Any])
            #expect(listed.isEmpty, "recent errors: \(listed)")
            let metrics = try await client.execute(uri: "/_p/metrics.json", method: .get)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: metrics.body).utf8)) as? [String: Any])
            let routes = try #require(object["routes"] as? [[String: Any]])
            let upload = try #require(routes.first { $0["route"] as? String == "/upload" })
            #expect(upload["count"] as? Int == 1)
            #expect(upload["errors"] as? Int == 0)
        }
    }

    /// An outer middleware catches the handler's own error type, measured or profiled; a profiled
    /// request whose report was saved still gets its report header on the error's response.
    @Test func outerMiddlewareCatchesTheHandlersError() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rp-reports-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let caught = ErrorLog()
        let router = Router()
        router.add(middleware: ErrorSpy(caught: caught))
        router.add(
            middleware: RequestProfilingMiddleware(
                ProfilingSettings(isEnabled: true, outputDirectory: folder, metrics: MetricsSettings(isEnabled: true))))
        router.get("conflict") { _, _ -> String in throw HTTPError(.conflict, message: "taken") }
        let app = Application(router: router)
        try await app.test(.router) { client in
            let measured = try await client.execute(uri: "/conflict", method: .get)
            #expect(measured.status == .conflict)
            let profiled = try await client.execute(uri: "/conflict?profile=1&profile_format=json", method: .get)
            #expect(profiled.status == .conflict)
            let name = try #require(profiled.headers[HTTPField.Name("X-Profile-Report")!])
            #expect(FileManager.default.fileExists(atPath: folder + "/" + name))
        }
        // The unprofiled request's error reached the outer middleware as the handler threw it.
        #expect(caught.entries.first == "HTTPError 409")
        #expect(caught.entries.count == 2)
        #expect(caught.entries.last?.hasSuffix(" 409") == true)
    }

    private final class ErrorLog: Sendable {
        private let storage = Mutex<[String]>([])
        var entries: [String] { storage.withLock { $0 } }
        func append(_ entry: String) { storage.withLock { $0.append(entry) } }
    }

    /// Notes the type and status of every error the rest of the chain throws.
    private struct ErrorSpy: RouterMiddleware {
        typealias Context = BasicRequestContext
        let caught: ErrorLog

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            do {
                return try await next(request, context)
            } catch let error as any HTTPResponseError {
                caught.append("\(type(of: error)) \(error.status.code)")
                throw error
            }
        }
    }
}
#endif
