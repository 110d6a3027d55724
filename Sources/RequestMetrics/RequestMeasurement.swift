/// A request being measured: what ``MetricsPipeline/begin(method:path:traceparent:)`` noted at
/// its start, handed back to ``MetricsPipeline/finish(_:route:status:error:bytesIn:bytesOut:profile:)``.
public struct RequestMeasurement: Sendable {
    public let startMonotonicNanoseconds: UInt64
    /// Wall clock at the start, the event's `ts_ns`.
    public let timestampNanoseconds: UInt64
    public let traceID: TraceID
    public let spanID: SpanID
    public let method: String
    /// The raw path, kept only when a rate override needs it for the sampling decision after
    /// the handler (events carry the route template); nil otherwise.
    public let path: String?
    /// The pipeline that measures it, and that ``MetricsPipeline/finish(_:route:status:error:bytesIn:bytesOut:profile:)`` belongs to.
    public let pipeline: MetricsPipeline

    /// The context to bind to ``RequestTrace/current`` around the handler, so spans and
    /// `recordError` calls inside it attach to this request.
    public var traceContext: TraceContext {
        traceContext(route: nil)
    }

    /// ``traceContext`` for a request whose route template is already known.
    public func traceContext(route: String?) -> TraceContext {
        TraceContext(traceID: traceID, spanID: spanID, method: method, route: route, sink: pipeline)
    }
}
