/// The lowercase hex digits W3C Trace Context uses for ids: parsed from a header once, and
/// written straight into an event's line, so an id never lives as a heap string.
enum LowercaseHex {
    /// The value of exactly 1...16 lowercase hex digits; nil for any other byte.
    static func parse(_ digits: some Collection<UInt8>) -> UInt64? {
        guard (1...16).contains(digits.count) else { return nil }
        var value: UInt64 = 0
        for digit in digits {
            let nibble: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = digit &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = digit &- UInt8(ascii: "a") &+ 10
            default: return nil
            }
            value = value << 4 | UInt64(nibble)
        }
        return value
    }

    /// Writes `value` as 16 digits, high first, at `destination`.
    static func write(_ value: UInt64, to destination: UnsafeMutablePointer<UInt8>) {
        for index in 0..<16 {
            destination[index] = digit(UInt8(truncatingIfNeeded: value >> UInt64(60 - 4 * index)) & 0xF)
        }
    }

    /// The digit of a nibble (0...15).
    @inline(__always)
    static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? nibble &+ 48 : nibble &+ 87
    }

    /// `words` as 16 digits each, for descriptions and tests.
    static func string(_ words: UInt64...) -> String {
        String(unsafeUninitializedCapacity: 16 * words.count) { buffer in
            for (index, word) in words.enumerated() { write(word, to: buffer.baseAddress! + 16 * index) }
            return 16 * words.count
        }
    }
}
