/// The request (and innermost span) that code is running under; bound to
/// ``RequestTrace/current`` by the HTTP core around the handler.
public struct TraceContext: Sendable {
    public var traceID: TraceID
    /// The innermost open span: the request's span, or the span of an enclosing `span` block.
    public var spanID: SpanID
    public var method: String
    /// The route template when the core knows it before the handler runs, else nil.
    public var route: String?
    /// Where to look the route up later when ``route`` is nil: a router that matches inside the
    /// middleware chain (Hummingbird's result-builder `RouterBuilder`) sets it only after the
    /// profiler's middleware has made this context, and an error recorded in the handler
    /// should still name the route its REQ event names.
    public var routeLookup: (@Sendable () -> String?)?
    /// The pipeline that receives spans and manual errors.
    public var sink: MetricsPipeline
    /// Whether the request was drawn by the sampling policy: only then are its spans written
    /// (recorded errors are written whatever the draw).
    public var isSampled: Bool

    public init(traceID: TraceID, spanID: SpanID, method: String, route: String?, sink: MetricsPipeline, isSampled: Bool = true) {
        self.traceID = traceID
        self.spanID = spanID
        self.method = method
        self.route = route
        self.sink = sink
        self.isSampled = isSampled
    }
}

/// Task-local access to the current request's trace, so application code can add spans and
/// errors without threading a parameter through every call.
public enum RequestTrace {
    @TaskLocal public static var current: TraceContext?
}
