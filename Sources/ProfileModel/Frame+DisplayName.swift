extension Frame {
    /// The name without its return type and effects, for narrow columns:
    /// `MyApp.fetchUser(id: Swift.Int) async throws -> MyApp.User` becomes `MyApp.fetchUser(id: Swift.Int)`.
    public var shortName: String {
        var name = Substring(name)
        if let arrow = Frame.topLevelArrow(in: name) { name = name[..<arrow].trimmingSuffixSpaces() }
        for suffix in [" async throws", " throws", " async"] where name.hasSuffix(suffix) {
            name = name.dropLast(suffix.count)
        }
        return String(name.trimmingSuffixSpaces())
    }

    /// The ` -> ` that starts the return type: the first one outside parentheses and brackets.
    private static func topLevelArrow(in name: Substring) -> Substring.Index? {
        var depth = 0
        var index = name.startIndex
        while index < name.endIndex {
            switch name[index] {
            case "(", "<", "[": depth += 1
            case ")", ">", "]": depth = max(0, depth - 1)
            case "-" where name[index...].hasPrefix("->"):
                if depth == 0 { return index }
                index = name.index(after: index)  // skip the ">" of an inner arrow
            default: break
            }
            index = name.index(after: index)
        }
        return nil
    }
}

private extension Substring {
    func trimmingSuffixSpaces() -> Substring {
        var copy = self
        while copy.last == " " { copy = copy.dropLast() }
        return copy
    }
}
