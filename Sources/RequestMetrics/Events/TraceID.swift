/// A W3C trace id: 128 bits, written as 32 lowercase hex digits (`trace_id`) only when an
/// event's line is encoded. Kept as two integers because a request carries it from start to
/// finish: as a string it would be one heap allocation per request.
public struct TraceID: Sendable, Hashable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// 32 lowercase hex digits, not all zero (the spec reserves zero as invalid); nil otherwise.
    public init?(hex: some StringProtocol) {
        let digits = Array(hex.utf8)
        guard digits.count == 32, let high = LowercaseHex.parse(digits[0..<16]),
            let low = LowercaseHex.parse(digits[16..<32]), high != 0 || low != 0
        else { return nil }
        self.init(high: high, low: low)
    }

    /// A new random-looking id (see ``IdentifierGenerator``), never zero.
    public static func random() -> TraceID {
        let low = IdentifierGenerator.next()
        return TraceID(randomHigh: IdentifierGenerator.next(), low: low)
    }

    /// An id from two random words, never zero (the spec reserves it): a zero low word becomes 1.
    init(randomHigh high: UInt64, low: UInt64) {
        self.init(high: high, low: low == 0 ? 1 : low)
    }

    /// The 32 hex digits.
    public var description: String { LowercaseHex.string(high, low) }
}
