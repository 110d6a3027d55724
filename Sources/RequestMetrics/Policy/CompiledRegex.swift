/// A `re:` pattern's compiled regex, kept with its source text so patterns compare and print
/// by what the user wrote.
///
/// `Regex<AnyRegexOutput>` is not `Sendable` because its output type is not; matching is
/// read-only on an immutable compiled program, so sharing it across threads is safe.
public struct CompiledRegex: @unchecked Sendable, Equatable {
    public let source: String
    let regex: Regex<AnyRegexOutput>

    init(source: String) throws {
        self.source = source
        self.regex = try Regex(source)
    }

    /// Whether the regex matches anywhere in `path`, as `grep` and Python's `re.search` do.
    func isFound(in path: String) -> Bool {
        (try? regex.firstMatch(in: path)) != nil
    }

    public static func == (lhs: CompiledRegex, rhs: CompiledRegex) -> Bool { lhs.source == rhs.source }
}
