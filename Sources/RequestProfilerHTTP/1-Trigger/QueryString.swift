/// Looks up parameters in a raw URL query (`a=1&b=two`) without building a dictionary.
///
/// Both adapters hand the core the raw query string, so Vapor and Hummingbird decode the
/// profiling parameters identically, and the fast path of an unprofiled request is one scan
/// over the query's bytes with no allocation.
public struct QueryString: Sendable {
    public let raw: String

    public init(_ raw: String) {
        self.raw = raw
    }

    /// The decoded value of the first parameter called `name` (`+` and `%XX` decoded); an empty
    /// string for a bare `name` or `name=`; nil when absent.
    public subscript(name: String) -> String? {
        scan(for: name, countingAll: false).first
    }

    /// How many parameters are called `name` (each spelling of it counted).
    public func occurrences(of name: String) -> Int {
        scan(for: name, countingAll: true).count
    }

    private func scan(for name: String, countingAll: Bool) -> (first: String?, count: Int) {
        var query = raw
        var name = name
        return query.withUTF8 { query in
            name.withUTF8 { name in Self.scan(query, for: name, countingAll: countingAll) }
        }
    }

    /// Scans `query` pair by pair for keys equal to `name`: the first one's value, and how many
    /// there are (stopping at the first unless `countingAll`).
    private static func scan(
        _ query: UnsafeBufferPointer<UInt8>, for name: UnsafeBufferPointer<UInt8>, countingAll: Bool
    ) -> (first: String?, count: Int) {
        let ampersand = UInt8(ascii: "&"), equals = UInt8(ascii: "=")
        var first: String?
        var count = 0
        var start = 0
        while start < query.count {
            var end = start
            while end < query.count && query[end] != ampersand { end += 1 }
            var keyEnd = start
            while keyEnd < end && query[keyEnd] != equals { keyEnd += 1 }
            let key = UnsafeBufferPointer(rebasing: query[start..<keyEnd])
            if matches(key, name) {
                count += 1
                if first == nil {
                    first = keyEnd < end ? decode(UnsafeBufferPointer(rebasing: query[(keyEnd + 1)..<end])) : ""
                }
                if !countingAll { break }
            }
            start = end + 1
        }
        return (first, count)
    }

    /// Compares a raw key with a plain name, decoding the key only if it could be an escaped
    /// spelling of the name: `+` keeps the length, a `%XX` escape makes the key longer.
    private static func matches(_ key: UnsafeBufferPointer<UInt8>, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        if key.count == name.count {
            if key.elementsEqual(name) { return true }
            guard key.contains(UInt8(ascii: "+")) else { return false }
        } else if key.count < name.count || !key.contains(UInt8(ascii: "%")) {
            return false
        }
        return decode(key).utf8.elementsEqual(name)
    }

    /// Decodes `+` as a space and `%XX` escapes; malformed escapes are kept as written.
    static func decode(_ text: UnsafeBufferPointer<UInt8>) -> String {
        guard text.contains(UInt8(ascii: "%")) || text.contains(UInt8(ascii: "+")) else {
            return String(decoding: text, as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < text.count, let value = hexValue(text[index + 1], text[index + 2]) {
                bytes.append(value)
                index += 2
            } else {
                bytes.append(byte)
            }
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ high: UInt8, _ low: UInt8) -> UInt8? {
        func nibble(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        guard let h = nibble(high), let l = nibble(low) else { return nil }
        return h << 4 | l
    }
}
