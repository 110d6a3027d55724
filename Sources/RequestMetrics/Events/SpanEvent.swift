/// A timed block inside a request (`"kind":"SPAN"`), nested under its parent span so tools can
/// rebuild the request's tree.
public struct SpanEvent: Sendable, Equatable {
    /// Wall clock at the span's start, nanoseconds since 1970.
    public var timestampNanoseconds: UInt64
    public var traceID: TraceID
    public var spanID: SpanID
    /// The enclosing span: the request's span or an outer span.
    public var parentSpanID: SpanID
    public var name: String
    public var durationNanoseconds: UInt64
    /// Description of the error the block threw, nil when it returned normally.
    public var error: String?

    public init(
        timestampNanoseconds: UInt64, traceID: TraceID, spanID: SpanID, parentSpanID: SpanID, name: String,
        durationNanoseconds: UInt64, error: String? = nil
    ) {
        self.timestampNanoseconds = timestampNanoseconds
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.name = name
        self.durationNanoseconds = durationNanoseconds
        self.error = error
    }
}
