#if Vapor
import RequestMetrics
import RequestProfiler
import Vapor

/// The request's profiling session and metrics trace, kept in its storage by
/// ``RequestProfilingMiddleware`` as the rest of the chain starts.
///
/// Both are task-locals, and a synchronous middleware that calls the rest of its chain from a
/// future callback (Vapor's own `SessionsMiddleware` with a session cookie,
/// `RequestAuthenticator`) runs that callback on the event loop, outside the request's task:
/// there neither is set, the handler was left out of the profile and its spans lost their
/// request. And a callback NIO runs inline, inside another request's synchronous code (the
/// promise it waited on completed there), sees that request's task-locals.
/// ``ProfilingRouteResponder`` reads them from here first.
struct RequestContextKey: StorageKey {
    struct Value: Sendable {
        let session: ProfilingSession?
        let trace: TraceContext?
    }

    /// Keeps the current task-locals in `request`, when there is something to keep.
    static func keep(in request: Request) {
        let session = ProfilingSession.current
        let trace = RequestTrace.current
        guard session != nil || trace != nil else { return }
        request.storage[Self.self] = Value(session: session, trace: trace)
    }

    /// Removes what ``keep(in:)`` kept, from anywhere (a future callback has no task-locals to
    /// tell whether something was kept).
    static func clear(in request: Request) {
        request.storage[Self.self] = nil
    }

    /// Removes what ``keep(in:)`` kept, if anything.
    static func forget(in request: Request) {
        guard ProfilingSession.current != nil || RequestTrace.current != nil else { return }
        request.storage[Self.self] = nil
    }
}
#endif
