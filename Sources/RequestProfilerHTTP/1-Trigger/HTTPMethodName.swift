/// A request's method as the metrics, the dashboard and auto-capture key it: one of the
/// methods HTTP/1 servers know, or `OTHER`.
///
/// Routes are bounded (templates, and one name for unmatched requests), but methods come from
/// the client. HTTP/1 parsers (llhttp, in SwiftNIO) accept only the methods listed here;
/// HTTP/2 carries any token in `:method`, so without this a client sending `X1`, `X2`, ... to
/// an HTTP/2 server gave each request a key of its own (a histogram per key for 15 minutes,
/// a swift-metrics series for good). A route registered for a method of its own is rare
/// enough to be named `OTHER` too.
@usableFromInline
enum HTTPMethodName {
    static let other = "OTHER"

    @usableFromInline
    static func bounded(_ method: String) -> String {
        switch method {
        case "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS": method
        default: known.contains(method) ? method : other
        }
    }

    /// llhttp's methods (HTTP, WebDAV, UPnP, CalDAV, and the rest).
    private static let known: Set<String> = [
        "DELETE", "GET", "HEAD", "POST", "PUT", "CONNECT", "OPTIONS", "TRACE", "COPY", "LOCK", "MKCOL", "MOVE",
        "PROPFIND", "PROPPATCH", "SEARCH", "UNLOCK", "BIND", "REBIND", "UNBIND", "ACL", "REPORT", "MKACTIVITY",
        "CHECKOUT", "MERGE", "M-SEARCH", "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE", "PATCH", "PURGE", "MKCALENDAR",
        "LINK", "UNLINK", "SOURCE", "QUERY",
    ]
}
