/// A W3C span (parent) id: 64 bits, written as 16 lowercase hex digits (`span_id`) only when
/// an event's line is encoded, so that making one per request or span allocates nothing.
public struct SpanID: Sendable, Hashable, CustomStringConvertible {
    public var value: UInt64

    public init(_ value: UInt64) {
        self.value = value
    }

    /// 16 lowercase hex digits, not all zero; nil otherwise.
    public init?(hex: some StringProtocol) {
        let digits = Array(hex.utf8)
        guard digits.count == 16, let value = LowercaseHex.parse(digits), value != 0 else { return nil }
        self.init(value)
    }

    /// A new random-looking id (see ``IdentifierGenerator``), never zero.
    public static func random() -> SpanID {
        SpanID(random: IdentifierGenerator.next())
    }

    /// An id from a random word, made valid: zero (reserved) becomes 1.
    init(random value: UInt64) {
        self.init(value == 0 ? 1 : value)
    }

    /// The 16 hex digits.
    public var description: String { LowercaseHex.string(value) }
}
