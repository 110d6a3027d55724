/// A Codable encoder that writes compact JSON straight into a byte buffer.
///
/// Why not Foundation's `JSONEncoder`: on Linux it builds an intermediate tree of every value
/// and took about 0.6 µs per number here, so a 10,000-sample speedscope file (500,000 frame
/// indices) took 300 ms, three times the whole budget for rendering a report. This encoder
/// streams, has fast paths for `[Int]`, `[UInt64]` and strings, and writes keys in the order
/// the type encodes them (declaration order for synthesized conformances), which is
/// deterministic without sorting.
struct CompactJSONEncoder {
    /// Write `<` as `\u003c` inside strings, so the JSON can sit inside an html `<script>`
    /// element without any frame name closing it or opening a comment.
    var escapesLessThan = false

    func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        let sink = JSONSink(escapesLessThan: escapesLessThan)
        let level = JSONEncodingLevel(sink: sink)
        try level.encodeValue(value)
        return sink.bytes
    }
}
