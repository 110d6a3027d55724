/// A parsed W3C `traceparent` header (https://www.w3.org/TR/trace-context/#traceparent-header).
public struct TraceParent: Sendable, Equatable {
    public var version: UInt8
    public var traceID: TraceID
    public var parentID: SpanID
    public var flags: UInt8

    /// Nil for anything the spec says to ignore: wrong lengths or separators, non-lowercase-hex
    /// digits, version `ff`, an all-zero trace or parent id, or extra fields on version `00`.
    public init?(parsing header: String) {
        var header = header
        guard let parsed = header.withUTF8(Self.parse) else { return nil }
        self = parsed
    }

    private init(version: UInt8, traceID: TraceID, parentID: SpanID, flags: UInt8) {
        self.version = version
        self.traceID = traceID
        self.parentID = parentID
        self.flags = flags
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> TraceParent? {
        // version(2) - trace(32) - parent(16) - flags(2) = 55; later versions may append "-...".
        let dash = UInt8(ascii: "-")
        guard bytes.count >= 55, bytes[2] == dash, bytes[35] == dash, bytes[52] == dash,
            let version = LowercaseHex.parse(bytes[0..<2]), version != 0xFF,
            let traceHigh = LowercaseHex.parse(bytes[3..<19]), let traceLow = LowercaseHex.parse(bytes[19..<35]),
            let parent = LowercaseHex.parse(bytes[36..<52]), let flags = LowercaseHex.parse(bytes[53..<55])
        else { return nil }
        if version == 0 {
            guard bytes.count == 55 else { return nil }
        } else if bytes.count > 55, bytes[55] != dash {
            return nil
        }
        guard traceHigh != 0 || traceLow != 0, parent != 0 else { return nil }
        return TraceParent(
            version: UInt8(version), traceID: TraceID(high: traceHigh, low: traceLow), parentID: SpanID(parent),
            flags: UInt8(flags))
    }
}
