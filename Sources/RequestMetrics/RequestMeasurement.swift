/// A request being measured: what ``MetricsPipeline/begin(method:path:traceparent:)`` noted at
/// its start, handed back to ``MetricsPipeline/finish(_:route:status:error:bytesIn:bytesOut:profile:)``.
public struct RequestMeasurement: Sendable {
    public let startMonotonicNanoseconds: UInt64
    /// Wall clock at the start, the event's `ts_ns`.
    public let timestampNanoseconds: UInt64
    public let traceID: TraceID
    public let spanID: SpanID
    public let method: String
    /// The sampling draw, made at the start: a drawn request's REQ and SPAN events are
    /// written; one not drawn is written only when it fails (errors always recorded) or when
    /// its profile was saved, and its spans are not.
    public let isSampled: Bool
    /// The pipeline that measures it, and that ``MetricsPipeline/finish(_:route:status:error:bytesIn:bytesOut:profile:)`` belongs to.
    public let pipeline: MetricsPipeline

    /// The context to bind to ``RequestTrace/current`` around the handler, so spans and
    /// `recordError` calls inside it attach to this request.
    public var traceContext: TraceContext {
        traceContext(route: nil)
    }

    /// ``traceContext`` for a request whose route template is already known (`route`), or
    /// will be known to `routeSource` by the time the handler runs.
    public func traceContext(route: String?, routeSource: (any MatchedRouteSource)? = nil) -> TraceContext {
        TraceContext(
            traceID: traceID, spanID: spanID, method: method, route: route, sink: pipeline, isSampled: isSampled,
            routeSource: routeSource)
    }
}
