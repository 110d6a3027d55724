/// W3C Trace Context ids: random-looking lowercase hex (see ``IdentifierGenerator``), and
/// `traceparent` parsing so a request joins the caller's trace.
public enum TraceIdentifiers {
    /// 32 lowercase hex digits, never all zero (the spec reserves zero as invalid).
    public static func newTraceID() -> String {
        hexString(IdentifierGenerator.next(), nonZero(IdentifierGenerator.next()), words: 2)
    }

    /// 16 lowercase hex digits, never all zero.
    public static func newSpanID() -> String {
        hexString(nonZero(IdentifierGenerator.next()))
    }

    /// The trace id of a W3C `traceparent` header (`00-<32 hex>-<16 hex>-<2 hex>`), or nil when
    /// the header is malformed: then the request starts a new trace, as the spec asks.
    public static func traceID(fromTraceparent header: String) -> String? {
        TraceParent(parsing: header)?.traceID
    }

    private static func nonZero(_ value: UInt64) -> UInt64 { value == 0 ? 1 : value }

    /// `words` (1 or 2) 64-bit words as 16 hex digits each, high first; no intermediate array.
    private static func hexString(_ first: UInt64, _ second: UInt64 = 0, words: Int = 1) -> String {
        String(unsafeUninitializedCapacity: words * 16) { buffer in
            for wordIndex in 0..<words {
                let word = wordIndex == 0 ? first : second
                for digit in 0..<16 {
                    let nibble = UInt8(truncatingIfNeeded: word >> UInt64(60 - 4 * digit)) & 0xF
                    buffer[wordIndex * 16 + digit] = nibble < 10 ? nibble &+ 48 : nibble &+ 87
                }
            }
            return words * 16
        }
    }
}
