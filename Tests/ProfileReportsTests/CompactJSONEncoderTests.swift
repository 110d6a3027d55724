@testable import ProfileReports
import Foundation
import ProfileModel
import Testing

@Suite("CompactJSONEncoder")
struct CompactJSONEncoderTests {
    private func text(_ value: some Encodable, escapesLessThan: Bool = false) throws -> String {
        String(decoding: try CompactJSONEncoder(escapesLessThan: escapesLessThan).encode(value), as: UTF8.self)
    }

    @Test("writes compact JSON with keys in declaration order")
    func compact() throws {
        struct Point: Encodable { var y = 2; var x = -1; var label: String? = nil; var tags = ["a", "b"] }
        #expect(try text(Point()) == #"{"y":2,"x":-1,"tags":["a","b"]}"#)
        #expect(try text([[1, 2], [], [3]]) == "[[1,2],[],[3]]")
        #expect(try text([UInt64.max, 0]) == "[18446744073709551615,0]")
        #expect(try text([Int.min]) == "[-9223372036854775808]")
        #expect(try text([1.5, 1e-7, 1_763_676_000.0, -0.25]) == "[1.5,1e-07,1763676000,-0.25]")
        #expect(try text([true, false]) == "[true,false]")
        #expect(try text([String?.none, "x"]) == #"[null,"x"]"#)
    }

    @Test("escapes strings as RFC 8259 requires, and < on request")
    func escaping() throws {
        #expect(try text(["a\"b\\c\n\t\u{1}é</script>"]) == #"["a\"b\\c\n\t\u0001é</script>"]"#)
        #expect(try text(["</script><!--"], escapesLessThan: true) == #"["\u003c/script>\u003c!--"]"#)
    }

    /// U+009B is `ESC [` to xterm-like terminals, and a bidi override shows a name backwards: a
    /// report printed to one must not carry them raw.
    @Test("escapes C1 controls and bidi or invisible characters, which JSON allows raw, and decodes them back")
    func escapesC1Controls() throws {
        let text = "a\u{9B}2J\u{85}é\u{A0}\u{202E}nimda\u{2066}x\u{FEFF}→"
        let encoded = try CompactJSONEncoder(escapesLessThan: false).encode([text])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["a\u009b2J\u0085é\#u{A0}\u202enimda\u2066x\ufeff→"]"#)
        #expect(try JSONDecoder().decode([String].self, from: Data(encoded)) == [text])
    }

    @Test("nested containers and super encoders are closed in the right places")
    func nested() throws {
        struct Custom: Encodable {
            enum Keys: String, CodingKey { case a, b, c }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                var inner = container.nestedContainer(keyedBy: Keys.self, forKey: .a)
                try inner.encode(1, forKey: .b)
                var list = container.nestedUnkeyedContainer(forKey: .b)
                try list.encode(2)
                var deeper = list.nestedUnkeyedContainer()
                try deeper.encode(3)
                try container.encode("end", forKey: .c)
            }
        }
        struct Empty: Encodable { func encode(to encoder: any Encoder) throws {} }
        #expect(try text(Custom()) == #"{"a":{"b":1},"b":[2,[3]],"c":"end"}"#)
        #expect(try text([Empty()]) == "[{}]")
    }

    @Test("rejects numbers JSON cannot hold")
    func nonFinite() {
        #expect(throws: EncodingError.self) { try CompactJSONEncoder().encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try CompactJSONEncoder().encode(["x": Double.infinity]) }
    }

    @Test("Foundation's decoder reads back exactly what was encoded")
    func roundTrip() throws {
        let report = JSONRenderer.report(for: Fixtures.request, options: RenderOptions(showAllFrames: true))
        let decoded = try JSONDecoder().decode(JSONReport.self, from: Data(CompactJSONEncoder().encode(report)))
        #expect(decoded == report)
        let profile = Profile.synthetic(samples: 500, depth: 20)
        #expect(try JSONDecoder().decode(Profile.self, from: Data(CompactJSONEncoder().encode(profile))) == profile)
    }
}
