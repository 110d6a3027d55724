#if Hummingbird
import HTTPTypes
import Hummingbird

/// Writes the body of a handler's response that a report replaced, to nowhere.
///
/// Hummingbird runs a response body only when it writes it, and middleware hang work on that
/// end: MetricsMiddleware brings its active-requests gauge down, TracingMiddleware ends its
/// span, a streamed body's producer finishes. A response dropped without its body written
/// skipped all of that, once per `?profile=1` request whose report replaced it (Hummingbird's
/// own documentation warns of it for post-write closures).
///
/// Written within the request's lifetime, in the report's own body once the report is sent
/// (see ``reportBody(_:replacing:)``): a body may read the request's body (an echo, an upload
/// proxy), which is the connection's one stream, read by the server itself once the response
/// is written; and it may use what was leased for the request only.
enum DiscardedResponseBody {
    /// How long a dropped body may write: one that streams for ever (server-sent events, a
    /// producer that never finishes) is cancelled then. The connection waits meanwhile (its
    /// client has the whole report).
    static let timeLimit: Duration = .seconds(10)

    /// The report's body: the report, then `dropped` written to nowhere.
    static func reportBody(_ report: ByteBuffer, replacing dropped: ResponseBody) -> ResponseBody {
        ResponseBody(contentLength: report.readableBytes) { writer in
            try await writer.write(report)
            try await writer.finish(nil)
            await write(dropped)
        }
    }

    /// Writes `body` to nowhere; returns when it is written or was cancelled at `limit`.
    static func write(_ body: ResponseBody, within limit: Duration = timeLimit) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await body.write(Nowhere()) }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Takes every byte and keeps none.
    private struct Nowhere: ResponseBodyWriter {
        mutating func write(_ buffer: ByteBuffer) async throws {}
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
#endif
