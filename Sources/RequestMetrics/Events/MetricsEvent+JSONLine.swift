extension MetricsEvent {
    /// Appends one JSON object and a newline. Hand-encoded because the collector writes every
    /// sampled request: `JSONEncoder` costs microseconds and allocations per event, this costs
    /// a pass over the bytes. Keys are snake_case as in docs/metrics-events.md.
    public func appendJSONLine(to buffer: inout [UInt8]) {
        let start = buffer.count
        let bound = maximumJSONLineSize
        // Grow once to the worst case, write through a pointer, then trim to what was written.
        buffer.append(contentsOf: repeatElement(0, count: bound))
        let written = buffer.withUnsafeMutableBufferPointer { bytes in
            writeJSONLine(to: bytes.baseAddress! + start)
        }
        buffer.removeLast(bound - written)
    }

    /// The event as one JSON line (with its trailing newline), for logs and tests.
    public var jsonLine: String {
        var bytes: [UInt8] = []
        appendJSONLine(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// An upper bound of the line's length in bytes: every string fully escaped, every number
    /// at its longest.
    var maximumJSONLineSize: Int {
        let strings: Int
        switch self {
        case .request(let event):
            strings =
                event.method.utf8.count + event.route.utf8.count + (event.profile?.utf8.count ?? 0)
        case .error(let event):
            strings =
                event.method.utf8.count + event.route.utf8.count + event.exceptionType.utf8.count + event.exceptionValue.utf8.count + event.traceback.utf8.count
        case .span(let event):
            strings =
                event.name.utf8.count + (event.error?.utf8.count ?? 0)
        }
        return JSONLineWriter.fixedBound + JSONLineWriter.escapeFactor * strings
    }

    /// Writes the line at `base`, which must have room for ``maximumJSONLineSize`` bytes;
    /// returns the bytes written.
    func writeJSONLine(to base: UnsafeMutablePointer<UInt8>) -> Int {
        var writer = JSONLineWriter(base: base)
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
        return writer.count
    }
}

extension [MetricsEvent] {
    /// Appends every event's line: one growth of `buffer` for the whole batch.
    func appendJSONLines(to buffer: inout [UInt8]) {
        let start = buffer.count
        let bound = reduce(0) { $0 + $1.maximumJSONLineSize }
        buffer.append(contentsOf: repeatElement(0, count: bound))
        let written = buffer.withUnsafeMutableBufferPointer { bytes in
            var position = start
            for event in self { position += event.writeJSONLine(to: bytes.baseAddress! + position) }
            return position - start
        }
        buffer.removeLast(bound - written)
    }
}

extension JSONLineWriter {
    /// The fields REQ and REQ_META share, in the same order, so the two lines join by eye too.
    fileprivate mutating func requestFields(
        _ timestamp: UInt64, _ traceID: TraceID, _ spanID: SpanID, _ method: String, _ route: String, _ status: Int
    ) {
        field("ts_ns", timestamp)
        field("trace_id", traceID)
        field("span_id", spanID)
        field("method", method)
        field("route", route)
        field("status", status)
    }
}
