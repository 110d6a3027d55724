/// Everything the collector carries to exporters, one JSON line each.
public enum MetricsEvent: Sendable, Equatable {
    case request(RequestEvent)
    case error(RequestErrorEvent)
    case span(SpanEvent)

    /// The `kind` field of the event's JSON line.
    public var kind: String {
        switch self {
        case .request: "REQ"
        case .error: "REQ_META"
        case .span: "SPAN"
        }
    }
}
