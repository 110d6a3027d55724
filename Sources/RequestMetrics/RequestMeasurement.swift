/// A request being measured: what ``MetricsPipeline/begin(method:path:traceparent:)`` noted at
/// its start, handed back to ``MetricsPipeline/finish(_:route:status:error:bytesIn:bytesOut:profile:)``.
public struct RequestMeasurement: Sendable {
    public let startMonotonicNanoseconds: UInt64
    /// Wall clock at the start, the event's `ts_ns`.
    public let timestampNanoseconds: UInt64
    public let traceID: String
    public let spanID: String
    public let method: String
    /// The raw path, used only for the sampling decision (events carry the route template).
    public let path: String
    let pipeline: MetricsPipeline

    /// The context to bind to ``RequestTrace/current`` around the handler, so spans and
    /// `recordError` calls inside it attach to this request.
    public var traceContext: TraceContext {
        TraceContext(traceID: traceID, spanID: spanID, method: method, route: nil, sink: pipeline)
    }
}
