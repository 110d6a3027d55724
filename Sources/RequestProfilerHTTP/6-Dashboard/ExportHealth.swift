import RequestMetrics

/// What an operator should know about the events' way out: events dropped because the
/// collector's queue was full, and exporters disabled after repeated failures. Otherwise only a
/// log line says so, and JSONL files or Prometheus series quietly miss requests.
struct ExportHealth: Encodable, Equatable {
    var dropped: Int
    var disabledExporters: [String]

    enum CodingKeys: String, CodingKey {
        case dropped, disabledExporters = "disabled_exporters"
    }

    init(dropped: Int, disabledExporters: [String]) {
        self.dropped = dropped
        self.disabledExporters = disabledExporters
    }

    init(_ collector: EventCollector) {
        self.init(dropped: collector.droppedCount, disabledExporters: collector.disabledExporters)
    }

    /// One sentence for the page; empty when all is well.
    var warning: String {
        var parts: [String] = []
        if dropped > 0 {
            parts.append("\(dropped) event\(dropped == 1 ? "" : "s") dropped (the collector's queue was full)")
        }
        if !disabledExporters.isEmpty {
            parts.append("exporter \(disabledExporters.joined(separator: ", ")) disabled after repeated failures, tried again later (see the server log)")
        }
        return parts.joined(separator: "; ")
    }
}
