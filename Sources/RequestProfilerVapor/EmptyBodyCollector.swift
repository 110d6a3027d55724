#if Vapor
import Vapor

/// Marks a request that has no body as having an (empty) collected body, for a profiled or
/// measured request to a synchronous handler only.
///
/// Why: Vapor's synchronous and `EventLoopFuture` route handlers first "collect" the body when
/// `request.body.data` is nil, and then run the handler in a future callback, which NIO runs
/// on the event loop thread, not on the profiling session's thread nor in the request's task:
/// the handler's frames would be missing from the report, and its spans from the metrics. With the body already collected, Vapor calls the handler
/// directly, on the sampled thread. The only public way to set a collected body is
/// `request.content.encode(_:using:)`; this encoder writes no bytes and no headers, so the
/// handler sees an empty body (`req.body.data` is an empty buffer instead of nil).
struct EmptyBodyCollector: ContentEncoder {
    func encode<E: Encodable>(_ encodable: E, to body: inout ByteBuffer, headers: inout HTTPHeaders) throws {}

    /// Applies the marking when the request certainly has no body: nothing collected, no
    /// `Transfer-Encoding`, and no or a zero `Content-Length`. A request that has a body is left
    /// alone (its handler then runs after collection, on the event loop).
    ///
    /// Over HTTP/2 the headers prove less: a body comes in DATA frames, and nio-http2 adds
    /// `Transfer-Encoding: chunked` for one without a length except on GET, HEAD, DELETE,
    /// CONNECT and TRACE. A DELETE (say) streaming a body without a length would have had it
    /// replaced by nothing. So over HTTP/2 only GET and HEAD are marked: their bodies are
    /// meaningless (RFC 9110) and clients that send one anyway give its length.
    ///
    /// A request of a method that carries a body (not GET or HEAD) that names a `Content-Type`
    /// is left alone too: its handler is likely to decode it, and for a missing body Vapor
    /// answers 422 ("no body"), where an empty one would fail to decode (400) or decode a
    /// `Content` whose fields are all optional. Clients that send `Content-Type` with every
    /// request still get their GETs profiled whole.
    static func collectIfBodiless(_ request: Request) {
        guard request.body.data == nil,
            request.method == .GET || request.method == .HEAD || request.headers.first(name: .contentType) == nil,
            request.headers.first(name: .transferEncoding) == nil,
            (request.headers.first(name: .contentLength) ?? "0") == "0",
            request.version.major < 2 || request.method == .GET || request.method == .HEAD
        else { return }
        try? request.content.encode(Bodiless(), using: EmptyBodyCollector())
    }

    private struct Bodiless: Encodable {}
}
#endif
