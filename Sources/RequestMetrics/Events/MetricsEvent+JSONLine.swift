extension MetricsEvent {
    /// Appends one JSON object and a newline. Hand-encoded because the collector writes every
    /// sampled request: `JSONEncoder` costs microseconds and allocations per event, this costs
    /// a pass over the bytes. Keys are snake_case as in docs/metrics-events.md.
    public func appendJSONLine(to buffer: inout [UInt8]) {
        var writer = JSONLineWriter(buffer: buffer)
        buffer = []  // hand the storage to the writer so appends don't copy it
        switch self {
        case .request(let event):
            writer.begin(kind: "REQ")
            writer.requestFields(
                event.timestampNanoseconds, event.traceID, event.spanID, event.method, event.route, event.status)
            writer.field("dur_ns", event.durationNanoseconds)
            if let bytesIn = event.bytesIn { writer.field("bytes_in", bytesIn) }
            if let bytesOut = event.bytesOut { writer.field("bytes_out", bytesOut) }
            if let profile = event.profile { writer.field("profile", profile) }
        case .error(let event):
            writer.begin(kind: "REQ_META")
            writer.requestFields(
                event.timestampNanoseconds, event.traceID, event.spanID, event.method, event.route, event.status)
            writer.field("exception_type", event.exceptionType)
            writer.field("exception_value", event.exceptionValue)
            writer.field("traceback", event.traceback)
        case .span(let event):
            writer.begin(kind: "SPAN")
            writer.field("ts_ns", event.timestampNanoseconds)
            writer.field("trace_id", event.traceID)
            writer.field("span_id", event.spanID)
            writer.field("parent_span_id", event.parentSpanID)
            writer.field("name", event.name)
            writer.field("dur_ns", event.durationNanoseconds)
            if let error = event.error { writer.field("error", error) }
        }
        writer.end()
        buffer = writer.buffer
    }

    /// The event as one JSON line (with its trailing newline), for logs and tests.
    public var jsonLine: String {
        var bytes: [UInt8] = []
        appendJSONLine(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension JSONLineWriter {
    /// The fields REQ and REQ_META share, in the same order, so the two lines join by eye too.
    fileprivate mutating func requestFields(
        _ timestamp: UInt64, _ traceID: String, _ spanID: String, _ method: String, _ route: String, _ status: Int
    ) {
        field("ts_ns", timestamp)
        field("trace_id", traceID)
        field("span_id", spanID)
        field("method", method)
        field("route", route)
        field("status", status)
    }
}
