/// W3C Trace Context ids: random lowercase hex, and `traceparent` parsing so a request joins the
/// caller's trace.
public enum TraceIdentifiers {
    /// 32 lowercase hex digits, never all zero (the spec reserves zero as invalid).
    public static func newTraceID() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = nonZero(generator.next() as UInt64)
        return hexString(high, low)
    }

    /// 16 lowercase hex digits, never all zero.
    public static func newSpanID() -> String {
        var generator = SystemRandomNumberGenerator()
        return hexString(nonZero(generator.next() as UInt64))
    }

    /// The trace id of a W3C `traceparent` header (`00-<32 hex>-<16 hex>-<2 hex>`), or nil when
    /// the header is malformed: then the request starts a new trace, as the spec asks.
    public static func traceID(fromTraceparent header: String) -> String? {
        TraceParent(parsing: header)?.traceID
    }

    private static func nonZero(_ value: UInt64) -> UInt64 { value == 0 ? 1 : value }

    private static func hexString(_ words: UInt64...) -> String {
        String(unsafeUninitializedCapacity: words.count * 16) { buffer in
            var index = 0
            for word in words {
                var shift = 60
                while shift >= 0 {
                    buffer[index] = JSONLineWriter.hexDigits[Int((word >> UInt64(shift)) & 0xF)]
                    index += 1
                    shift -= 4
                }
            }
            return index
        }
    }
}
