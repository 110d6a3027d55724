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

    /// A plain-text answer to a request the middleware refused to profile.
    public init(_ rejection: ProfilingRejection) {
        self.init(
            status: rejection.status,
            headers: [HTTPHeaderField("Content-Type", "text/plain; charset=utf-8")] + rejection.headers,
            body: Array((rejection.message + "\n").utf8))
    }
}
