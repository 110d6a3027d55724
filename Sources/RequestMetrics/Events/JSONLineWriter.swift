/// Appends the pieces of one flat JSON object to a byte buffer.
///
/// Swift strings are always valid Unicode (invalid UTF-16 or UTF-8 is repaired to U+FFFD
/// when the string is made), so their UTF-8 bytes can be copied as they are; only `"`, `\`
/// and control characters below U+0020 need escaping for the line to be valid JSON.
struct JSONLineWriter {
    var buffer: [UInt8]

    mutating func begin(kind: StaticString) {
        buffer.append(UInt8(ascii: "{"))
        appendRaw("\"kind\":\"")
        kind.withUTF8Buffer { buffer.append(contentsOf: $0) }
        buffer.append(UInt8(ascii: "\""))
    }

    mutating func end() {
        buffer.append(UInt8(ascii: "}"))
        buffer.append(UInt8(ascii: "\n"))
    }

    mutating func field(_ key: StaticString, _ value: String) {
        appendKey(key)
        appendQuoted(value)
    }

    mutating func field(_ key: StaticString, _ value: UInt64) {
        appendKey(key)
        appendDecimal(value)
    }

    mutating func field(_ key: StaticString, _ value: Int) {
        appendKey(key)
        if value < 0 {
            buffer.append(UInt8(ascii: "-"))
            appendDecimal(UInt64(value.magnitude))
        } else {
            appendDecimal(UInt64(value))
        }
    }

    /// `,"key":` — written with one capacity check instead of five.
    private mutating func appendKey(_ key: StaticString) {
        let count = key.utf8CodeUnitCount
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count + 4) { scratch in
            scratch[0] = UInt8(ascii: ",")
            scratch[1] = UInt8(ascii: "\"")
            key.withUTF8Buffer { name in
                for index in 0..<count { scratch[index + 2] = name[index] }
            }
            scratch[count + 2] = UInt8(ascii: "\"")
            scratch[count + 3] = UInt8(ascii: ":")
            buffer.append(contentsOf: UnsafeBufferPointer(scratch))
        }
    }

    private mutating func appendRaw(_ text: StaticString) {
        text.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    /// Digits are written backwards into a 20-byte stack scratch, then appended at once.
    private mutating func appendDecimal(_ value: UInt64) {
        if value < 10 {
            buffer.append(UInt8(truncatingIfNeeded: value) &+ 48)
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { scratch in
            var remaining = value
            var index = 20
            while remaining > 0 {
                index -= 1
                scratch[index] = UInt8(truncatingIfNeeded: remaining % 10) &+ 48
                remaining /= 10
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[index..<20]))
        }
    }

    private mutating func appendQuoted(_ value: String) {
        buffer.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
                appendEscape(byte)
                runStart = index + 1
            }
            if runStart < bytes.count { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        buffer.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "\n"): buffer.append(UInt8(ascii: "n"))
        case UInt8(ascii: "\r"): buffer.append(UInt8(ascii: "r"))
        case UInt8(ascii: "\t"): buffer.append(UInt8(ascii: "t"))
        case 0x08: buffer.append(UInt8(ascii: "b"))
        case 0x0C: buffer.append(UInt8(ascii: "f"))
        default:
            appendRaw("u00")
            buffer.append(Self.hexDigits[Int(byte >> 4)])
            buffer.append(Self.hexDigits[Int(byte & 0x0F)])
        }
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
