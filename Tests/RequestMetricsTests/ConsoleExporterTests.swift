import Foundation
import Testing

@testable import RequestMetrics

@Suite struct ConsoleExporterTests {
    @Test func writesOneParsableLinePerEvent() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let reader = FileHandle(fileDescriptor: ends[0], closeOnDealloc: true)
        let exporter = ConsoleExporter(fileDescriptor: ends[1])
        try exporter.export([
            .request(RequestEvent(timestampNanoseconds: 1, traceID: TraceID(high: 0, low: 1), spanID: SpanID(2), method: "GET", route: "/", status: 200, durationNanoseconds: 5)),
            .span(SpanEvent(timestampNanoseconds: 2, traceID: TraceID(high: 0, low: 1), spanID: SpanID(3), parentSpanID: SpanID(2), name: "n\nx", durationNanoseconds: 1)),
        ])
        close(ends[1])
        let text = String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
        let objects = try JSONLineParsing.objects(ofLines: text)
        #expect(objects.map { $0["kind"] as? String } == ["REQ", "SPAN"])
        #expect(objects.last?["name"] as? String == "n\nx")
    }
}
