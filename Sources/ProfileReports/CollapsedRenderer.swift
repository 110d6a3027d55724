import ProfileModel

/// Brendan Gregg's folded stacks, the input of flamegraph.pl, inferno, speedscope and
/// Pyroscope's importer: one line per distinct stack, frames root first joined by `;`, a
/// space, and the number of samples. Names are the short names (no return types); a `;` or
/// newline inside a name would break the format and becomes `:` or a space.
///
/// Carries every recorded frame; no `RenderOptions` field applies.
public struct CollapsedRenderer: ProfileRenderer {
    public var format: ProfileFormat { .collapsed }

    public init() {}

    public func render(_ profile: Profile, options: RenderOptions) throws -> RenderedReport {
        // Bytes, not String appends: a 10,000-sample profile folds to megabytes of names.
        let names = profile.frames.map { Array(Self.foldedName($0.shortName).utf8) }
        var bytes: [UInt8] = []
        for entry in StackCounts(profile: profile).entries where !entry.stack.isEmpty {
            for (position, frameIndex) in entry.stack.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ";")) }
                bytes.append(contentsOf: names[frameIndex])
            }
            bytes.append(UInt8(ascii: " "))
            bytes.append(contentsOf: String(entry.count).utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        return RenderedReport(format: .collapsed, bytes: bytes)
    }

    /// The name with every `;` (the frame separator) made `:`, every line break or tab a
    /// space, and every other control or invisible character U+FFFD (see
    /// ``TerminalSafeText``: collapsed stacks are often printed); a name ending in a space and
    /// a number (`f 12`, `f 1.5`) gets `_` for that space, since a
    /// line's counts are the numbers after its last spaces (flamegraph.pl and inferno read
    /// `a;f 12 5` as a differential line with two counts).
    /// By Unicode scalar, not by Character: `;` followed by a combining mark is one Character
    /// that is not equal to `;`, and its `;` byte would split the frame in two.
    static func foldedName(_ name: String) -> String {
        let endsInCount = name.last.map { $0 == "." || ($0.isASCII && $0.isNumber) } ?? false
        guard endsInCount || name.unicodeScalars.contains(where: { $0 == ";" || TerminalSafeText.isUnsafe($0) }) else {
            return name
        }
        var folded = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            if scalar == ";" {
                folded.append(":")
            } else if isLineBreak(scalar) || scalar == "\t" {
                folded.append(" ")
            } else {
                folded.append(TerminalSafeText.isUnsafe(scalar) ? "\u{FFFD}" : scalar)
            }
        }
        // A trailing number (digits, maybe a decimal point: counts may be decimals) after a
        // space: that space becomes `_`.
        var scalars = Array(folded)
        var index = scalars.count
        while index > 0, ("0"..."9").contains(scalars[index - 1]) || scalars[index - 1] == "." { index -= 1 }
        if index < scalars.count, index > 0, scalars[index - 1] == " " { scalars[index - 1] = "_" }
        return String(String.UnicodeScalarView(scalars))
    }

    /// LF, VT, FF, CR, NEL and the line and paragraph separators: what splits a line for
    /// readers that honour Unicode line breaks.
    private static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        (0x0A...0x0D).contains(scalar.value) || scalar.value == 0x85 || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}
