#if Hummingbird
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RequestProfilerHTTP
@testable import RequestProfilerHummingbird
import Synchronization
import Testing

/// Whether a response body's writer ran to its end.
private final class BodyWritten: Sendable {
    private let finished = Atomic<Bool>(false)
    var isFinished: Bool { finished.load(ordering: .relaxed) }
    func finish() { finished.store(true, ordering: .relaxed) }
}

/// Wraps each response's body so that the end of its writing is noticed, as Hummingbird's
/// MetricsMiddleware (its active-requests gauge) and TracingMiddleware (the span's end) do with
/// a post-write closure.
private struct BodyEndMiddleware: RouterMiddleware {
    let written: BodyWritten

    func handle(_ request: Request, context: BasicRequestContext, next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        let body = response.body
        response.body = ResponseBody(contentLength: body.contentLength) { [written] writer in
            try await body.write(writer)
            written.finish()
        }
        return response
    }
}

/// A report that replaces the response drops the handler's response, whose body Hummingbird
/// runs only when it writes it: the work a middleware after the profiler's does once the body
/// is written (a gauge brought down, a span ended, a producer's stream finished) never
/// happened, once per `?profile=1` request. The dropped body is now written to nowhere.
@Test func theBodyOfAResponseAReportReplacedIsStillWritten() async throws {
    let written = BodyWritten()
    let router = Router()
    router.add(middleware: RequestProfilingMiddleware<BasicRequestContext>(ProfilingSettings(isEnabled: true)))
    router.add(middleware: BodyEndMiddleware(written: written))
    router.get("hello") { _, _ in "hello" }
    let app = Application(router: router)
    try await app.test(.router) { client in
        let response = try await client.execute(uri: "/hello?profile=1&profile_format=text", method: .get)
        #expect(response.status == .ok)
        #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
        let deadline = ContinuousClock.now + .seconds(10)
        while !written.isFinished && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(written.isFinished, "the handler's body was never written")
    }
}

/// A dropped body that streams the request's body back (an echo, an upload proxy) reads the
/// connection's one stream, which the server reads itself once the response is written: the
/// dropped body is written before that, and the next request on the connection is served.
@Test func aDroppedEchoOfTheRequestBodyLeavesTheConnectionServing() async throws {
    let router = Router()
    router.add(middleware: RequestProfilingMiddleware<BasicRequestContext>(ProfilingSettings(isEnabled: true)))
    router.post("echo") { request, _ in Response(status: .ok, body: ResponseBody(asyncSequence: request.body)) }
    router.get("hello") { _, _ in "hello" }
    let app = Application(router: router)
    try await app.test(.live) { client in
        let upload = ByteBuffer(repeating: UInt8(ascii: "x"), count: 256 * 1024)
        let profiled = try await client.execute(uri: "/echo?profile=1&profile_format=text", method: .post, body: upload)
        #expect(profiled.status == .ok)
        #expect(profiled.headers[.contentType]?.hasPrefix("text/plain") == true)
        let echoed = try await client.execute(uri: "/echo", method: .post, body: upload)
        #expect(echoed.body.readableBytes == upload.readableBytes)
        #expect(String(buffer: try await client.execute(uri: "/hello", method: .get).body) == "hello")
    }
}

/// A dropped body that would stream for ever (server-sent events) is cancelled at the time
/// limit instead of writing to nowhere as long as the server runs. Not cancelled, the wait
/// below never ends, and the test's own time limit fails it.
@Test(.timeLimit(.minutes(1))) func aDroppedBodyThatNeverEndsIsCancelledAtTheTimeLimit() async throws {
    let body = ResponseBody { writer in
        while !Task.isCancelled {
            try await writer.write(ByteBuffer(string: "data: tick\n\n"))
            try await Task.sleep(for: .milliseconds(1))
        }
    }
    let started = ContinuousClock.now
    await DiscardedResponseBody.write(body, within: .milliseconds(100))
    #expect(ContinuousClock.now - started < .seconds(20), "the body was not cancelled")
}
#endif
