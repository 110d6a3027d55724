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

    /// UTF-8 bytes of the texts an error or a span carries (exception texts, traceback, span
    /// name and error): what can make one queued event weigh kilobytes. A REQ event's strings
    /// (method, route template, report name) are short and mostly shared, and count as 0.
    /// Counting is O(1) per string for native Swift strings.
    var textBytes: Int {
        switch self {
        case .request:
            0
        case .error(let event):
            event.exceptionType.utf8.count + event.exceptionValue.utf8.count + event.traceback.utf8.count
        case .span(let event):
            event.name.utf8.count + (event.error?.utf8.count ?? 0)
        }
    }
}
