/// One measured HTTP request (`"kind":"REQ"`): what the dashboard and log tools aggregate.
///
/// Fields mirror the JSONL schema in docs/metrics-events.md; nil optionals are omitted from
/// the line rather than written as `null`, which keeps lines short and greppable.
public struct RequestEvent: Sendable, Equatable {
    /// Wall clock at request start, nanoseconds since 1970 (`ts_ns`).
    public var timestampNanoseconds: UInt64
    /// `trace_id`: taken from `traceparent` when the client sent one.
    public var traceID: TraceID
    /// `span_id`: the request's own span.
    public var spanID: SpanID
    public var method: String
    /// The route template, or ``RouteName/unmatched``; never a raw path.
    public var route: String
    public var status: Int
    /// Monotonic duration from the handler's start to its response (`dur_ns`).
    public var durationNanoseconds: UInt64
    /// Request body size (`bytes_in`), best effort.
    public var bytesIn: Int?
    /// Response body size (`bytes_out`), best effort.
    public var bytesOut: Int?
    /// File name of the saved profile report, when this request was profiled.
    public var profile: String?

    public init(
        timestampNanoseconds: UInt64, traceID: TraceID, spanID: SpanID, method: String, route: String,
        status: Int, durationNanoseconds: UInt64, bytesIn: Int? = nil, bytesOut: Int? = nil,
        profile: String? = nil
    ) {
        self.timestampNanoseconds = timestampNanoseconds
        self.traceID = traceID
        self.spanID = spanID
        self.method = method
        self.route = route
        self.status = status
        self.durationNanoseconds = durationNanoseconds
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.profile = profile
    }
}
