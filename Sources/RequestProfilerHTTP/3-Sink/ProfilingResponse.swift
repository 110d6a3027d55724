/// A complete response the core wants sent instead of the handler's: a report, or a
/// rejection (400/403/429). Plain values, so each adapter maps it to its framework's type in
/// a few lines.
public struct ProfilingResponse: Sendable, Equatable {
    public var status: Int
    /// Includes `Content-Type`.
    public var headers: [HTTPHeaderField]
    public var body: [UInt8]

    public init(status: Int, headers: [HTTPHeaderField], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A plain-text answer to a request the middleware refused to profile. A 400's message
    /// quotes the request's own value: `nosniff` keeps a browser from taking it for html, and
    /// `no-store` keeps a cache from serving it to the next request.
    public init(_ rejection: ProfilingRejection) {
        self.init(
            status: rejection.status,
            headers: [
                HTTPHeaderField("Content-Type", "text/plain; charset=utf-8"),
                HTTPHeaderField("X-Content-Type-Options", "nosniff"),
                HTTPHeaderField("Cache-Control", "no-store"),
            ] + rejection.headers,
            body: Array((rejection.message + "\n").utf8))
    }
}
