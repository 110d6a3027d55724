/// One open span: its ids and start times, and the SPAN event it emits when it ends.
struct SpanTimer {
    let name: String
    let parent: TraceContext
    let spanID = SpanID.random()
    let startWall: UInt64
    let startMonotonic: UInt64

    init(name: String, parent: TraceContext) {
        self.name = name
        self.parent = parent
        startWall = parent.sink.wallNanoseconds
        startMonotonic = parent.sink.monotonicNanoseconds
    }

    /// The context inside the span: same request, this span as the parent of nested ones.
    var childContext: TraceContext {
        var child = parent
        child.spanID = spanID
        return child
    }

    /// Emits the SPAN event, when the request was drawn by the sampling policy.
    func finish<T, E>(_ result: Result<T, E>) {
        guard parent.isSampled else { return }
        let end = parent.sink.monotonicNanoseconds
        var error: String?
        // Cut like REQ_META's texts: an error may carry a whole upstream body, and a queue of
        // 10,000 such events (and the exporter's encoding buffer, kept at its largest) with it.
        if case .failure(let failure) = result { error = FailureDescription.cut(String(describing: failure), to: FailureDescription.valueLimit) }
        parent.sink.collector.submit(
            .span(
                SpanEvent(
                    timestampNanoseconds: startWall, traceID: parent.traceID, spanID: spanID,
                    parentSpanID: parent.spanID, name: name,
                    durationNanoseconds: end >= startMonotonic ? end - startMonotonic : 0, error: error)))
    }
}
