/// The request (and innermost span) that code is running under; bound to
/// ``RequestTrace/current`` by the HTTP core around the handler.
public struct TraceContext: Sendable {
    public var traceID: TraceID
    /// The innermost open span: the request's span, or the span of an enclosing `span` block.
    public var spanID: SpanID
    public var method: String
    /// The route template when the core knows it before the handler runs, else nil.
    public var route: String?
    /// Asked before ``route`` where the router matches inside the middleware chain (see
    /// ``MatchedRouteSource``); nil elsewhere.
    public var routeSource: (any MatchedRouteSource)?
    /// The pipeline that receives spans and manual errors.
    public var sink: MetricsPipeline
    /// Whether the request was drawn by the sampling policy: only then are its spans written
    /// (recorded errors are written whatever the draw).
    public var isSampled: Bool

    public init(
        traceID: TraceID, spanID: SpanID, method: String, route: String?, sink: MetricsPipeline, isSampled: Bool = true,
        routeSource: (any MatchedRouteSource)? = nil
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.method = method
        self.route = route
        self.routeSource = routeSource
        self.sink = sink
        self.isSampled = isSampled
    }
}

/// Task-local access to the current request's trace, so application code can add spans and
/// errors without threading a parameter through every call.
public enum RequestTrace {
    @TaskLocal public static var current: TraceContext?
}
