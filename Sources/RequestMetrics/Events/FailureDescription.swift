/// The REQ_META texts for a failed request: from the thrown error, or from a bare 5xx status.
///
/// Each text is cut to a bounded size. Errors are recorded whatever the sample rate, and an
/// error may carry a whole upstream body in its message (`Abort(.internalServerError, reason:
/// body)`): uncut, a storm of them held gigabytes in the collector's queue (10,000 events), in
/// its encoding buffer (kept at its largest) and in the dashboard's ring of recent errors.
struct FailureDescription: Sendable {
    var type: String
    var value: String
    var traceback: String

    /// The most UTF-8 bytes kept of each text; what is cut is said at its end.
    static let typeLimit = 1_024
    static let valueLimit = 4_096
    static let tracebackLimit = 16_384

    init(error: (any Error)?, status: Int) {
        if let error {
            type = Self.cut(String(reflecting: Swift.type(of: error)), to: Self.typeLimit)
            value = Self.cut(String(describing: error), to: Self.valueLimit)
            traceback = Self.cut(String(reflecting: error), to: Self.tracebackLimit)
        } else {
            type = "HTTP \(status)"
            value = ""
            traceback = ""
        }
    }

    /// `text`, or its first `limit` bytes and how much was cut. The cut is never inside a
    /// character's UTF-8 bytes (it may fall between a letter and its combining accent).
    static func cut(_ text: String, to limit: Int) -> String {
        let utf8 = text.utf8
        guard utf8.count > limit else { return text }
        var end = utf8.index(utf8.startIndex, offsetBy: limit)
        // Back to the start of a Unicode scalar: never half of a multi-byte sequence.
        while end > utf8.startIndex && (utf8[end] & 0b1100_0000) == 0b1000_0000 { end = utf8.index(before: end) }
        let kept = String(text.utf8[..<end]) ?? ""
        return kept + " … [\(utf8.count - kept.utf8.count) more bytes cut]"
    }
}
