import Foundation
import Testing

@testable import RequestMetrics

@Suite struct EventJSONLineTests {
    static let trickyStrings: [String] = [
        "plain /users/:id",
        "quote \" backslash \\ slash /",
        String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self) + "\u{7F}",
        "emoji 😀 accents éü CJK 漢字 RTL \u{202E} line sep \u{2028}",
        String(decoding: [0x61, 0xD800, 0x62] as [UInt16], as: UTF16.self),  // lone surrogate
        String(decoding: [0x61, 0xFF, 0xC0, 0x62] as [UInt8], as: UTF8.self),  // invalid UTF-8
        "",
    ]

    @Test(arguments: trickyStrings)
    func requestLineRoundTripsEveryString(text: String) throws {
        let event = RequestEvent(
            timestampNanoseconds: 1_764_000_000_123_456_789, traceID: TraceID.random(),
            spanID: SpanID.random(), method: "GET", route: text, status: 200,
            durationNanoseconds: UInt64.max, bytesIn: 0, bytesOut: 1234, profile: text)
        let line = MetricsEvent.request(event).jsonLine
        #expect(line.hasSuffix("}\n"))
        #expect(line.dropLast().contains("\n") == false)
        let object = try JSONLineParsing.object(line)
        #expect(object["kind"] as? String == "REQ")
        #expect(object["route"] as? String == text)
        #expect(object["profile"] as? String == text)
        #expect((object["ts_ns"] as? NSNumber)?.uint64Value == event.timestampNanoseconds)
        #expect((object["dur_ns"] as? NSNumber)?.uint64Value == UInt64.max)
        #expect(object["trace_id"] as? String == event.traceID.description)
        #expect(object["span_id"] as? String == event.spanID.description)
        #expect(object["status"] as? Int == 200)
        #expect(object["bytes_in"] as? Int == 0)
        #expect(object["bytes_out"] as? Int == 1234)
    }

    /// Every digit count, each power of ten and its neighbours, and the extremes: numbers are
    /// written two digits at a time, so odd and even lengths and inner zeros must all come out whole.
    static let decimals: [UInt64] = [0, 1, 9, 10, 11, 99, 100, 101, 1005, 100_000_000_007]
        + (1...19).flatMap { exponent -> [UInt64] in
            let power = (0..<exponent).reduce(UInt64(1)) { product, _ in product * 10 }
            return [power - 1, power, power + 1]
        } + [UInt64.max - 1, UInt64.max]

    @Test func numbersAreWrittenDigitForDigit() {
        for value in Self.decimals {
            let event = RequestEvent(
                timestampNanoseconds: value, traceID: TraceID(high: 0, low: 1), spanID: SpanID(2), method: "GET",
                route: "/", status: 200, durationNanoseconds: value, bytesIn: Int(clamping: value))
            let line = MetricsEvent.request(event).jsonLine
            #expect(line.contains(#""ts_ns":\#(value),"#), "\(value)")
            #expect(line.contains(#""dur_ns":\#(value),"#), "\(value)")
            #expect(line.contains(#""bytes_in":\#(Int(clamping: value))}"#), "\(value)")
        }
        let negative = MetricsEvent.request(
            RequestEvent(
                timestampNanoseconds: 1, traceID: TraceID(high: 0, low: 1), spanID: SpanID(2), method: "GET", route: "/",
                status: 200, durationNanoseconds: 1, bytesIn: Int.min)
        ).jsonLine
        #expect(negative.contains(#""bytes_in":\#(Int.min)}"#))
    }

    @Test func absentOptionalsAreOmitted() throws {
        let event = RequestEvent(
            timestampNanoseconds: 1, traceID: TraceID(high: 0, low: 1), spanID: SpanID(2), method: "POST", route: RouteName.unmatched,
            status: 404, durationNanoseconds: 0)
        let object = try JSONLineParsing.object(MetricsEvent.request(event).jsonLine)
        #expect(Set(object.keys) == ["kind", "ts_ns", "trace_id", "span_id", "method", "route", "status", "dur_ns"])
        #expect(object["route"] as? String == "<unmatched>")
    }

    @Test func errorLineCarriesExceptionFields() throws {
        let tricky = Self.trickyStrings[2]
        let event = RequestErrorEvent(
            timestampNanoseconds: 42, traceID: TraceID(high: 0, low: 1), spanID: SpanID(2), method: "DELETE", route: "/x/{id}", status: -1,
            exceptionType: "App.DBError", exceptionValue: tricky, traceback: "line1\nline2")
        let object = try JSONLineParsing.object(MetricsEvent.error(event).jsonLine)
        #expect(object["kind"] as? String == "REQ_META")
        #expect(object["status"] as? Int == -1)
        #expect(object["exception_type"] as? String == "App.DBError")
        #expect(object["exception_value"] as? String == tricky)
        #expect(object["traceback"] as? String == "line1\nline2")
        #expect(object["route"] as? String == "/x/{id}")
    }

    @Test func spanLineCarriesParentAndError() throws {
        let event = SpanEvent(
            timestampNanoseconds: 7, traceID: TraceID(high: 0, low: 1), spanID: SpanID(0xC), parentSpanID: SpanID(0xabcdef0123456789), name: "db.query",
            durationNanoseconds: 99, error: "timeout")
        let object = try JSONLineParsing.object(MetricsEvent.span(event).jsonLine)
        #expect(object["kind"] as? String == "SPAN")
        #expect(object["parent_span_id"] as? String == "abcdef0123456789")
        #expect(object["span_id"] as? String == "000000000000000c")
        #expect(object["trace_id"] as? String == "00000000000000000000000000000001")
        #expect(object["name"] as? String == "db.query")
        #expect(object["dur_ns"] as? Int == 99)
        #expect(object["error"] as? String == "timeout")
        var noError = event
        noError.error = nil
        #expect(try JSONLineParsing.object(MetricsEvent.span(noError).jsonLine)["error"] == nil)
    }

    @Test func linesAppendToAnExistingBuffer() throws {
        var buffer = Array("prefix\n".utf8)
        let event = MetricsEvent.request(
            RequestEvent(timestampNanoseconds: 10, traceID: TraceID(high: 0, low: 1), spanID: SpanID(2), method: "GET", route: "/", status: 200, durationNanoseconds: 5))
        event.appendJSONLine(to: &buffer)
        event.appendJSONLine(to: &buffer)
        let lines = String(decoding: buffer, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0] == "prefix")
        #expect(try JSONLineParsing.object(lines[2])["dur_ns"] as? Int == 5)
    }

    @Test func worstCaseLineStaysWithinItsPrecomputedBound() throws {
        let control = String(repeating: "\u{01}", count: 50)
        let events: [MetricsEvent] = [
            .request(
                RequestEvent(
                    timestampNanoseconds: .max, traceID: TraceID(high: .max, low: .max), spanID: SpanID(.max), method: control, route: control,
                    status: .min, durationNanoseconds: .max, bytesIn: .min, bytesOut: .max, profile: control)),
            .error(
                RequestErrorEvent(
                    timestampNanoseconds: .max, traceID: TraceID(high: .max, low: .max), spanID: SpanID(.max), method: control, route: control,
                    status: .min, exceptionType: control, exceptionValue: control, traceback: control)),
            .span(
                SpanEvent(
                    timestampNanoseconds: .max, traceID: TraceID(high: .max, low: .max), spanID: SpanID(.max), parentSpanID: SpanID(.max), name: control,
                    durationNanoseconds: .max, error: control)),
        ]
        var batch: [UInt8] = []
        events.appendJSONLines(to: &batch)
        var oneByOne: [UInt8] = []
        for event in events {
            let line = event.jsonLine
            #expect(line.utf8.count <= event.maximumJSONLineSize)
            let object = try JSONLineParsing.object(line)
            #expect(object["trace_id"] as? String == String(repeating: "f", count: 32))
            #expect(object["span_id"] as? String == String(repeating: "f", count: 16))
            #expect(object["method"] as? String ?? object["name"] as? String == control)
            #expect((object["ts_ns"] as? NSNumber)?.uint64Value == .max)
            event.appendJSONLine(to: &oneByOne)
        }
        #expect(batch == oneByOne)
        let request = try JSONLineParsing.object(events[0].jsonLine)
        #expect((request["status"] as? NSNumber)?.int64Value == .min)
        #expect((request["bytes_out"] as? NSNumber)?.int64Value == .max)
    }
}
