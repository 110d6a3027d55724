/// The error side of a request (`"kind":"REQ_META"`): emitted next to a ``RequestEvent`` when the
/// handler threw or answered 5xx, or by a manual `recordError`. Shares the request's ids so the
/// two lines join.
public struct RequestErrorEvent: Sendable, Equatable {
    public var timestampNanoseconds: UInt64
    public var traceID: TraceID
    public var spanID: SpanID
    public var method: String
    public var route: String
    public var status: Int
    /// The error's dynamic type, e.g. `MyApp.DatabaseError`, or `HTTP 503` for a bare 5xx.
    public var exceptionType: String
    /// `String(describing: error)`.
    public var exceptionValue: String
    /// Swift errors carry no stack trace, so this is the error's full debug description
    /// (`String(reflecting: error)`), the closest thing to a traceback that is available.
    public var traceback: String

    public init(
        timestampNanoseconds: UInt64, traceID: TraceID, spanID: SpanID, method: String, route: String,
        status: Int, exceptionType: String, exceptionValue: String, traceback: String
    ) {
        self.timestampNanoseconds = timestampNanoseconds
        self.traceID = traceID
        self.spanID = spanID
        self.method = method
        self.route = route
        self.status = status
        self.exceptionType = exceptionType
        self.exceptionValue = exceptionValue
        self.traceback = traceback
    }
}
