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
enum DiscardedResponseBody {
    /// How long a dropped body may write: one that streams for ever (server-sent events, a
    /// producer that never finishes) is cancelled then.
    static let timeLimit: Duration = .seconds(30)

    /// Starts the writing and returns at once; the task returned ends when the body is
    /// written or cancelled at `limit`.
    @discardableResult
    static func write(_ body: ResponseBody, within limit: Duration = timeLimit) -> Task<Void, Never> {
        Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await body.write(Nowhere()) }
                group.addTask { try? await Task.sleep(for: limit) }
                await group.next()
                group.cancelAll()
            }
        }
    }

    /// Takes every byte and keeps none.
    private struct Nowhere: ResponseBodyWriter {
        mutating func write(_ buffer: ByteBuffer) async throws {}
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
#endif
