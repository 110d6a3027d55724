/// A parsed W3C `traceparent` header (https://www.w3.org/TR/trace-context/#traceparent-header).
public struct TraceParent: Sendable, Equatable {
    public var version: String
    public var traceID: String
    public var parentID: String
    public var flags: String

    /// Nil for anything the spec says to ignore: wrong lengths or separators, non-lowercase-hex
    /// digits, version `ff`, an all-zero trace or parent id, or extra fields on version `00`.
    public init?(parsing header: String) {
        let bytes = Array(header.utf8)
        // version(2) - trace(32) - parent(16) - flags(2) = 55; later versions may append "-...".
        guard bytes.count >= 55, bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"),
            bytes[52] == UInt8(ascii: "-")
        else { return nil }
        let version = bytes[0..<2], trace = bytes[3..<35], parent = bytes[36..<52], flags = bytes[53..<55]
        guard [version, trace, parent, flags].allSatisfy(Self.isLowercaseHex) else { return nil }
        guard !version.elementsEqual("ff".utf8) else { return nil }
        if version.elementsEqual("00".utf8) {
            guard bytes.count == 55 else { return nil }
        } else if bytes.count > 55, bytes[55] != UInt8(ascii: "-") {
            return nil
        }
        guard trace.contains(where: { $0 != UInt8(ascii: "0") }),
            parent.contains(where: { $0 != UInt8(ascii: "0") })
        else { return nil }
        self.version = String(decoding: version, as: UTF8.self)
        self.traceID = String(decoding: trace, as: UTF8.self)
        self.parentID = String(decoding: parent, as: UTF8.self)
        self.flags = String(decoding: flags, as: UTF8.self)
    }

    private static func isLowercaseHex(_ digits: ArraySlice<UInt8>) -> Bool {
        digits.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }
}
