import Foundation

/// How many values a JSON document holds, counted from its structure (each `,`, `[` and `{`
/// outside strings) without parsing it.
///
/// A decoder keeps an entry for every value of the document: about 25 bytes of a saved report
/// per value, but 2 bytes (`0,`) in a file of one long array of zeros, which took 2.9 GB of
/// memory to decode from 120 MB (3.4 GB with `JSONSerialization`). Counting first bounds what
/// decoding a file can take, whatever it holds.
enum JSONValueCount {
    /// Whether `data` holds more than `limit` values (a count, not a validation: malformed
    /// JSON is left to the decoder).
    static func exceeds(_ limit: Int, in data: some ContiguousBytes) -> Bool {
        count(in: data, stoppingAbove: limit) > limit
    }

    /// The values `data` holds, or the first count above `limit` once it passes it.
    static func count(in data: some ContiguousBytes, stoppingAbove limit: Int = .max) -> Int {
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Int in
            var count = 1
            var inString = false
            var escaped = false
            for byte in bytes {
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""):
                    inString = true
                case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "{"):
                    count += 1
                    if count > limit { return count }
                default:
                    break
                }
            }
            return count
        }
    }
}
