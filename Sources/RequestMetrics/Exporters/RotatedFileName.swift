/// A JSONL file the exporter finished: `<prefix>-YYYYMMDDTHHMMSSZ-N.jsonl`, parsed so that
/// files sort by rotation time and then by sequence (`-10` after `-9`, which names alone get
/// wrong), and so that retention never takes any other file in the folder for one of them.
struct RotatedFileName: Comparable {
    let name: String
    let stamp: Substring
    let sequence: Int

    /// nil unless `name` is exactly a rotated file of `prefix`.
    init?(_ name: String, prefix: String) {
        guard name.hasPrefix(prefix + "-"), name.hasSuffix(".jsonl") else { return nil }
        let middle = name.dropFirst(prefix.count + 1).dropLast(".jsonl".count)
        let parts = middle.split(separator: "-", omittingEmptySubsequences: false)
        // At most nine digits: the exporter counts on from the newest file's sequence, and a
        // name holding Int.max (a garbled or hostile file) made that count overflow and trap.
        guard parts.count == 2, Self.isStamp(parts[0]), !parts[1].isEmpty, parts[1].utf8.count <= 9,
            Self.isDigits(parts[1].utf8), let sequence = Int(parts[1])
        else { return nil }
        self.name = name
        self.stamp = parts[0]
        self.sequence = sequence
    }

    /// `YYYYMMDDTHHMMSSZ`.
    private static func isStamp(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return false }
        return isDigits(bytes[0..<8]) && isDigits(bytes[9..<15])
    }

    /// ASCII digits only: `Int` alone would also take a sign (`+5`).
    private static func isDigits(_ bytes: some Sequence<UInt8>) -> Bool {
        bytes.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    static func < (left: Self, right: Self) -> Bool {
        (left.stamp, left.sequence, left.name) < (right.stamp, right.sequence, right.name)
    }
}
