/// A user-supplied pattern for hiding or showing frames: a regular expression, or, when the
/// text is not a valid regular expression, a plain substring.
struct FramePattern: Sendable {
    private let text: String
    private nonisolated(unsafe) let regex: Regex<AnyRegexOutput>?

    init(_ text: String) {
        self.text = text
        self.regex = try? Regex(text)
    }

    func matches(_ name: String) -> Bool {
        if let regex { return (try? regex.firstMatch(in: name)) != nil }
        return name.contains(text)
    }
}
