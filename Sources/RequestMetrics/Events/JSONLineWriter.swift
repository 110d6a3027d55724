/// Writes the pieces of one flat JSON object through a raw pointer into memory the caller has
/// sized with ``MetricsEvent/maximumJSONLineSize`` — no capacity check or uniqueness check
/// per piece, which is most of the cost of appending to an array byte run by byte run.
///
/// Swift strings are always valid Unicode (invalid UTF-16 or UTF-8 is repaired to U+FFFD
/// when the string is made), so their UTF-8 bytes can be copied as they are; only `"`, `\`
/// and control characters below U+0020 need escaping for the line to be valid JSON (at most
/// 6 bytes, `\u00XX`, per input byte).
struct JSONLineWriter {
    /// Bytes a line may take besides its strings: keys, punctuation, numbers (at most 20
    /// digits and a sign each) and ids (64 hex digits at most, SPAN's three). The longest kind
    /// (REQ: 11 keys, 6 numbers, 48 id digits) stays under this.
    static let fixedBound = 384
    /// Worst-case growth of a string's UTF-8 bytes when escaped.
    static let escapeFactor = 6

    private let base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0

    init(base: UnsafeMutablePointer<UInt8>) {
        self.base = base
    }

    mutating func begin(kind: StaticString) {
        put(UInt8(ascii: "{"))
        raw("\"kind\":\"")
        raw(kind)
        put(UInt8(ascii: "\""))
    }

    mutating func end() {
        put(UInt8(ascii: "}"))
        put(UInt8(ascii: "\n"))
    }

    mutating func field(_ key: StaticString, _ value: String) {
        appendKey(key)
        appendQuoted(value)
    }

    mutating func field(_ key: StaticString, _ id: TraceID) {
        appendKey(key)
        put(UInt8(ascii: "\""))
        appendHex(id.high)
        appendHex(id.low)
        put(UInt8(ascii: "\""))
    }

    mutating func field(_ key: StaticString, _ id: SpanID) {
        appendKey(key)
        put(UInt8(ascii: "\""))
        appendHex(id.value)
        put(UInt8(ascii: "\""))
    }

    mutating func field(_ key: StaticString, _ value: UInt64) {
        appendKey(key)
        appendDecimal(value)
    }

    mutating func field(_ key: StaticString, _ value: Int) {
        appendKey(key)
        if value < 0 {
            put(UInt8(ascii: "-"))
            appendDecimal(UInt64(value.magnitude))
        } else {
            appendDecimal(UInt64(value))
        }
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8) {
        base[count] = byte
        count += 1
    }

    private mutating func raw(_ text: StaticString) {
        (base + count).update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        count += text.utf8CodeUnitCount
    }

    /// `,"key":`
    private mutating func appendKey(_ key: StaticString) {
        put(UInt8(ascii: ","))
        put(UInt8(ascii: "\""))
        raw(key)
        put(UInt8(ascii: "\""))
        put(UInt8(ascii: ":"))
    }

    /// 16 lowercase hex digits, high first.
    private mutating func appendHex(_ word: UInt64) {
        LowercaseHex.write(word, to: base + count)
        count += 16
    }

    /// Digits are written backwards from the number's last position, two at a time: a
    /// timestamp in nanoseconds has 19 of them, and every event carries one.
    private mutating func appendDecimal(_ value: UInt64) {
        if value < 10 {
            put(UInt8(truncatingIfNeeded: value) &+ 48)
            return
        }
        // 10^19 is the largest power of ten in a UInt64: at 20 digits the loop stops before
        // comparing with the wrapped product.
        var digits = 1
        var power: UInt64 = 10
        while digits < 20 && value >= power {
            digits += 1
            power &*= 10
        }
        var remaining = value
        var index = count + digits
        while remaining >= 10 {
            // Both digits of the pair belong to the number: it had at least two left.
            let pair = Int(truncatingIfNeeded: remaining % 100)
            remaining /= 100
            index -= 2
            // Division by a constant is a multiplication: cheaper than a table behind a
            // lazily initialized global, which costs a `swift_once` check per read.
            base[index] = UInt8(truncatingIfNeeded: pair / 10) &+ 48
            base[index + 1] = UInt8(truncatingIfNeeded: pair % 10) &+ 48
        }
        if remaining > 0 {
            index -= 1
            base[index] = UInt8(truncatingIfNeeded: remaining) &+ 48
        }
        count += digits
    }

    private mutating func appendQuoted(_ value: String) {
        put(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            guard let source = bytes.baseAddress else { return }
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                copy(source + runStart, count: index - runStart)
                appendEscape(byte)
                runStart = index + 1
            }
            copy(source + runStart, count: bytes.count - runStart)
        }
        put(UInt8(ascii: "\""))
    }

    private mutating func copy(_ source: UnsafePointer<UInt8>, count length: Int) {
        guard length > 0 else { return }
        (base + count).update(from: source, count: length)
        count += length
    }

    private mutating func appendEscape(_ byte: UInt8) {
        put(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): put(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): put(UInt8(ascii: "\\"))
        case UInt8(ascii: "\n"): put(UInt8(ascii: "n"))
        case UInt8(ascii: "\r"): put(UInt8(ascii: "r"))
        case UInt8(ascii: "\t"): put(UInt8(ascii: "t"))
        case 0x08: put(UInt8(ascii: "b"))
        case 0x0C: put(UInt8(ascii: "f"))
        default:
            raw("u00")
            put(LowercaseHex.digit(byte >> 4))
            put(LowercaseHex.digit(byte & 0x0F))
        }
    }
}
