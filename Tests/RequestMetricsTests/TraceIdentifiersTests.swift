import Testing

@testable import RequestMetrics

@Suite struct TraceIdentifiersTests {
    private func isLowercaseHex(_ text: String) -> Bool {
        text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    @Test func newIdsAreLowercaseHexOfTheRightLengthAndDiffer() {
        let traces = (0..<100).map { _ in TraceID.random().description }
        let spans = (0..<100).map { _ in SpanID.random().description }
        #expect(traces.allSatisfy { $0.utf8.count == 32 && isLowercaseHex($0) })
        #expect(spans.allSatisfy { $0.utf8.count == 16 && isLowercaseHex($0) })
        #expect(Set(traces).count == 100)
        #expect(Set(spans).count == 100)
    }

    @Test func validTraceparentGivesItsTraceID() throws {
        let header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let parsed = try #require(TraceParent(parsing: header))
        #expect(parsed.traceID.description == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(parsed.traceID == TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736))
        #expect(parsed.parentID.description == "00f067aa0ba902b7")
        #expect(parsed.flags == 1)
        // A future version may append fields after a dash.
        #expect(TraceParent(parsing: "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-xyz") != nil)
    }

    @Test func idsRoundTripThroughTheirHexForm() {
        for _ in 0..<100 {
            let trace = TraceID.random(), span = SpanID.random()
            #expect(TraceID(hex: trace.description) == trace)
            #expect(SpanID(hex: span.description) == span)
        }
        #expect(TraceID(hex: String(repeating: "0", count: 32)) == nil)
        #expect(SpanID(hex: "00f067aa0ba902b") == nil)  // 15 digits
        #expect(SpanID(hex: "00F067AA0BA902B7") == nil)  // uppercase
        #expect(SpanID(hex: "000000000000000a")?.value == 10)
    }

    static let malformed: [String] = [
        "",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",  // no flags
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // uppercase
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // zero parent id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // forbidden version
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // extra field on v00
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",  // wrong separators
        "00-4bf92f3577b34da6a3ce929d0e0e47zz-00f067aa0ba902b7-01",  // not hex
    ]

    @Test(arguments: malformed)
    func malformedTraceparentIsIgnored(header: String) {
        #expect(TraceParent(parsing: header) == nil)
    }
}
