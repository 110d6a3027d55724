/// Looks up parameters in a raw URL query (`a=1&b=two`) without building a dictionary.
///
/// Both adapters hand the core the raw query string, so Vapor and Hummingbird decode the
/// profiling parameters identically, and the fast path of an unprofiled request is one scan
/// of the query's bytes with no allocation.
public struct QueryString: Sendable {
    public let raw: String

    public init(_ raw: String) {
        self.raw = raw
    }

    /// The decoded value of the first parameter called `name` (`+` and `%XX` decoded); an empty
    /// string for a bare `name` or `name=`; nil when absent.
    public subscript(name: String) -> String? {
        var found: String?
        forEachPair { key, value in
            guard Self.matches(key, name) else { return true }
            found = value.map(Self.decode) ?? ""
            return false
        }
        return found
    }

    /// Calls `body` with each `key` / `value` pair (raw, undecoded) until it returns false.
    private func forEachPair(_ body: (Substring.UTF8View, Substring.UTF8View?) -> Bool) {
        var rest = Substring(raw).utf8
        while !rest.isEmpty {
            let end = rest.firstIndex(of: UInt8(ascii: "&")) ?? rest.endIndex
            let pair = rest[rest.startIndex..<end]
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
            guard !pair.isEmpty else { continue }
            if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
                guard body(pair[pair.startIndex..<equals], pair[pair.index(after: equals)...]) else { return }
            } else {
                guard body(pair, nil) else { return }
            }
        }
    }

    /// Compares a raw key with a plain name, decoding the key only if it is escaped.
    private static func matches(_ key: Substring.UTF8View, _ name: String) -> Bool {
        if key.contains(UInt8(ascii: "%")) || key.contains(UInt8(ascii: "+")) {
            return decode(key) == name
        }
        return key.elementsEqual(name.utf8)
    }

    /// Decodes `+` as a space and `%XX` escapes; malformed escapes are kept as written.
    static func decode(_ text: Substring.UTF8View) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"),
                let high = text.index(index, offsetBy: 1, limitedBy: text.endIndex), high < text.endIndex,
                let low = text.index(high, offsetBy: 1, limitedBy: text.endIndex), low < text.endIndex,
                let value = hexValue(text[high], text[low])
            {
                bytes.append(value)
                index = low
            } else {
                bytes.append(byte)
            }
            index = text.index(after: index)
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
