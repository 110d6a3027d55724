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
        let names = profile.frames.map { Self.foldedName($0.shortName) }
        var text = ""
        for entry in StackCounts(profile: profile).entries {
            if entry.stack.isEmpty { continue }
            for (position, frameIndex) in entry.stack.enumerated() {
                if position > 0 { text += ";" }
                text += names[frameIndex]
            }
            text += " \(entry.count)\n"
        }
        return RenderedReport(format: .collapsed, text: text)
    }

    static func foldedName(_ name: String) -> String {
        guard name.contains(where: { $0 == ";" || $0.isNewline }) else { return name }
        return String(name.map { $0 == ";" ? ":" : ($0.isNewline ? " " : $0) })
    }
}
