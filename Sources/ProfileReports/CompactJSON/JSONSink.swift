/// The byte buffer a `CompactJSONEncoder` writes into, with the primitive writers: integers
/// without going through `String`, strings escaped as RFC 8259 requires.
final class JSONSink {
    // Unchecked: the sink is used by one encoder on one thread, and the dynamic exclusivity
    // check on every append was a tenth of the encoding time.
    @exclusivity(unchecked) private(set) var bytes: [UInt8] = []
    let escapesLessThan: Bool

    init(escapesLessThan: Bool) {
        self.escapesLessThan = escapesLessThan
        bytes.reserveCapacity(256 * 1024)
    }

    func write(_ byte: UInt8) {
        bytes.append(byte)
    }

    func writeASCII(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    func write(_ value: UInt64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            let count = Self.writeDigits(of: value, into: digits, at: 0)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[..<count]))
        }
    }

    /// An array of integers in one pass over a buffer sized for the worst case: the
    /// speedscope writer emits half a million frame indices.
    func write(integers: [Int]) {
        bytes.append(UInt8(ascii: "["))
        let text = [UInt8](unsafeUninitializedCapacity: integers.count * 21) { buffer, initialized in
            var position = 0
            for (offset, integer) in integers.enumerated() {
                if offset > 0 {
                    buffer[position] = UInt8(ascii: ",")
                    position += 1
                }
                if integer < 0 {
                    buffer[position] = UInt8(ascii: "-")
                    position += 1
                }
                position += Self.writeDigits(of: UInt64(integer.magnitude), into: buffer, at: position)
            }
            initialized = position
        }
        bytes.append(contentsOf: text)
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes the decimal digits of `value` at `position` (room for 20 needed); returns how many.
    private static func writeDigits(of value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at position: Int) -> Int {
        var digitCount = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digitCount += 1
        }
        var index = position + digitCount
        var remaining = value
        repeat {
            index -= 1
            buffer[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        } while remaining > 0
        return digitCount
    }

    /// An object key: `"name":`.
    func write(key: String) {
        write(key)
        bytes.append(UInt8(ascii: ":"))
    }

    func write(_ value: Int64) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            write(UInt64(bitPattern: 0 &- value))
        } else {
            write(UInt64(value))
        }
    }

    func write(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: [], debugDescription: "JSON has no \(value)"))
        }
        if value == value.rounded(), abs(value) < 1e15 {
            write(Int64(value))  // 1763676000, not 1763676000.0
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    func write(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        if string.utf8.withContiguousStorageIfAvailable({ writeEscaping($0) }) == nil {
            Array(string.utf8).withUnsafeBufferPointer { writeEscaping($0) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Copies runs that need no escaping in one go (most strings are a single run).
    ///
    /// The characters ``TerminalSafeText`` keeps from a terminal are escaped too, though JSON
    /// allows them raw: a report printed to one (`request-profiler render --format json`)
    /// would otherwise hand it U+009B, which xterm-like terminals take for `ESC [`, or a bidi
    /// override that shows a name backwards. They decode back the same.
    private func writeEscaping(_ utf8: UnsafeBufferPointer<UInt8>) {
        var start = 0
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if needsEscape(byte) {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                writeEscaped(byte)
                start = index + 1
            } else if TerminalSafeText.mayLeadUnsafe(byte), let (scalar, length) = Self.scalar(at: index, in: utf8),
                TerminalSafeText.isUnsafe(scalar)
            {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                writeASCII("\\u")
                for shift in stride(from: 12, through: 0, by: -4) { bytes.append(Self.hexDigit(UInt8((scalar.value >> UInt32(shift)) & 0xF))) }
                index += length - 1
                start = index + 1
            }
            index += 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
    }

    /// The two- or three-byte scalar at `index` of valid UTF-8, and its length.
    private static func scalar(at index: Int, in utf8: UnsafeBufferPointer<UInt8>) -> (Unicode.Scalar, Int)? {
        let lead = utf8[index]
        let length = lead < 0xE0 ? 2 : 3
        guard index + length <= utf8.count else { return nil }
        var value = UInt32(lead & (length == 2 ? 0x1F : 0x0F))
        for offset in 1..<length { value = value << 6 | UInt32(utf8[index + offset] & 0x3F) }
        return Unicode.Scalar(value).map { ($0, length) }
    }

    private func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || (escapesLessThan && byte == UInt8(ascii: "<"))
    }

    private func writeEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): writeASCII("\\\"")
        case UInt8(ascii: "\\"): writeASCII("\\\\")
        case UInt8(ascii: "\n"): writeASCII("\\n")
        case UInt8(ascii: "\r"): writeASCII("\\r")
        case UInt8(ascii: "\t"): writeASCII("\\t")
        default:
            writeASCII("\\u00")
            bytes.append(Self.hexDigit(byte >> 4))
            bytes.append(Self.hexDigit(byte & 0xF))
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
