extension Frame {
    /// The name without its return type and effects, for narrow columns:
    /// `MyApp.fetchUser(id: Swift.Int) async throws -> MyApp.User` becomes `MyApp.fetchUser(id: Swift.Int)`.
    ///
    /// Scans UTF-8 bytes rather than Characters: every report computes this for every frame,
    /// and grapheme-by-grapheme scanning cost about 7 µs a name (18 ms for a 2,700-frame profile).
    /// All the delimiters are ASCII, so the result is the same.
    public var shortName: String {
        if let short = name.utf8.withContiguousStorageIfAvailable({ Frame.shortName(of: $0) }) {
            return short
        }
        return Array(name.utf8).withUnsafeBufferPointer { Frame.shortName(of: $0) }
    }

    /// A name of the form `<what> in <where>` (a closure, a protocol witness, a specialization)
    /// is shortened on both sides of its first top-level ` in `:
    /// `closure #1 () async throws -> App.User in App.handler() async throws -> ()` becomes
    /// `closure #1 in App.handler()`. Cut at the closure's own arrow, every closure of a task
    /// read `closure #1 ()`, and those of different functions fell into one box in collapsed
    /// stacks, pprof and the aggregate tables.
    ///
    /// A loop, one ` in ` after the other: a name comes from a saved report too, and a
    /// recursion per ` in ` overflowed the stack on a name made of 200,000 of them (a
    /// dashboard rendering such a report took the server down).
    private static func shortName(of utf8: UnsafeBufferPointer<UInt8>) -> String {
        var short = ""
        var rest = utf8
        while let split = topLevelIn(rest) {
            var head = shortSignature(of: UnsafeBufferPointer(rebasing: rest[..<split]))
            // A closure's parameter list, also behind `partial apply forwarder for`,
            // `specialized` or `await resume partial function for`.
            if head.hasSuffix(")"), let closure = head.firstRange(of: "closure #"),
                let open = head[closure.upperBound...].firstIndex(of: "(")
            {
                head = String(head[..<open]).trimmingTrailingSpaces
            }
            short += head
            short += " in "
            rest = UnsafeBufferPointer(rebasing: rest[(split + 4)...])
        }
        return short + shortSignature(of: rest)
    }

    /// The name without its return type and effects (see ``shortName``).
    private static func shortSignature(of utf8: UnsafeBufferPointer<UInt8>) -> String {
        var end = topLevelArrow(in: utf8) ?? utf8.count
        end = trimmingSpaces(utf8, end: end)
        for suffix in [" async throws", " throws", " async"] {
            let suffixBytes = suffix.utf8
            if end >= suffixBytes.count, utf8[(end - suffixBytes.count)..<end].elementsEqual(suffixBytes) {
                end -= suffixBytes.count
            }
        }
        end = trimmingSpaces(utf8, end: end)
        return String(decoding: UnsafeBufferPointer(rebasing: utf8[..<end]), as: UTF8.self)
    }

    /// The offset of the ` -> ` that starts the return type: the first `->` outside
    /// parentheses, angle brackets and square brackets.
    private static func topLevelArrow(in utf8: UnsafeBufferPointer<UInt8>) -> Int? {
        var depth = 0
        var index = 0
        while index < utf8.count {
            switch utf8[index] {
            case UInt8(ascii: "("), UInt8(ascii: "["): depth += 1
            // A generic parameter list's `<` follows a name (`Array<Int>`); an operator's does
            // not (`Swift.Int.< infix`, `..<`, `<=`, `<<`), and counting it would keep the
            // arrow from ever being at the top level.
            case UInt8(ascii: "<") where index > 0 && Self.isNameByte(utf8[index - 1]): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: ">"), UInt8(ascii: "]"): depth = max(0, depth - 1)
            case UInt8(ascii: "-") where index + 1 < utf8.count && utf8[index + 1] == UInt8(ascii: ">"):
                // C++'s `operator->` is a name, not a return type.
                if depth == 0 && !Self.follows("operator", at: index, in: utf8) { return index }
                index += 1  // skip the ">" of an inner arrow
            default: break
            }
            index += 1
        }
        return nil
    }

    /// The offset of the first ` in ` outside parentheses, angle brackets and square brackets.
    private static func topLevelIn(_ utf8: UnsafeBufferPointer<UInt8>) -> Int? {
        var depth = 0
        var index = 0
        while index + 3 < utf8.count {
            switch utf8[index] {
            case UInt8(ascii: "("), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "<") where index > 0 && Self.isNameByte(utf8[index - 1]): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"): depth = max(0, depth - 1)
            // The `>` of an arrow closes nothing.
            case UInt8(ascii: ">") where !(index > 0 && utf8[index - 1] == UInt8(ascii: "-")): depth = max(0, depth - 1)
            case UInt8(ascii: " ")
            where depth == 0 && utf8[index + 1] == UInt8(ascii: "i") && utf8[index + 2] == UInt8(ascii: "n")
                && utf8[index + 3] == UInt8(ascii: " "):
                return index
            default: break
            }
            index += 1
        }
        return nil
    }

    /// Whether `word` ends right before `index`.
    private static func follows(_ word: StaticString, at index: Int, in utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index >= count else { return false }
        return word.withUTF8Buffer { utf8[(index - count)..<index].elementsEqual($0) }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    private static func trimmingSpaces(_ utf8: UnsafeBufferPointer<UInt8>, end: Int) -> Int {
        var end = end
        while end > 0, utf8[end - 1] == UInt8(ascii: " ") { end -= 1 }
        return end
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
