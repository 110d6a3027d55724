import RegexSafety

/// A `re:` pattern's compiled regex, kept with its source text so patterns compare and print
/// by what the user wrote.
///
/// `Regex<AnyRegexOutput>` is not `Sendable` because its output type is not; matching is
/// read-only on an immutable compiled program, so sharing it across threads is safe.
public struct CompiledRegex: @unchecked Sendable, Equatable {
    public let source: String
    let regex: Regex<AnyRegexOutput>
    /// The longest path this regex is tried on: ``longestSearchedPath``, or
    /// ``longestSearchedPathWithTwoRepeats`` for a regex with two unbounded repeats.
    public let searchLimit: Int

    init(source: String) throws {
        self.source = source
        self.regex = try Regex(source)
        searchLimit = NestedQuantifiers.unboundedRepeats(in: source) >= 2
            ? Self.longestSearchedPathWithTwoRepeats : Self.longestSearchedPath
    }

    /// The most unbounded repeats (`*`, `+`, `{n,}`) a `re:` pattern may have. A search takes
    /// up to about n^(k+1) steps for k of them on a path of n bytes built to make it backtrack:
    /// measured (optimized, on a 2-core machine) for `/.*/.*/.*/x` on a path of slashes, 32 ms
    /// at 64 bytes and 7.1 s at 256.
    public static let mostUnboundedRepeats = 2

    /// The longest path a regex with two unbounded repeats is tried on: `/.*/.*/x` on a path of
    /// slashes took 1.8 ms at 64 bytes, 21 ms at 128 and 146 ms at 256.
    public static let longestSearchedPathWithTwoRepeats = 64

    /// The longest path, in UTF-8 bytes, a regex is tried on; a longer path does not match.
    ///
    /// Refusing nested repeats (`RegexSafety`) keeps exponential patterns off the request's
    /// thread, but a search is still polynomial: `firstMatch` tries the regex at every start,
    /// and a repeat such as `.*` backtracks over the rest of the path at each. So
    /// `re:/admin/.*debug` took about 14 s on a path of "/admin/" 11,000 times (77 KB, within
    /// what HTTP servers take in a request line), chosen by a client. Measured with Swift's
    /// `Regex` (optimized, on a 2-core machine) on paths built to make it backtrack most, at
    /// 256 bytes: 0.15 ms for `/admin/.*debug`, 1 ms for `.*debug`, 1.2 ms for `/.*/x`; two
    /// repeats take far longer (cubic), so they get ``longestSearchedPathWithTwoRepeats``. An
    /// anchored pattern (`^/admin/`) fails at once at every other start. Most paths are shorter
    /// than this; exclusions and overrides for longer ones can be written as a prefix
    /// (`/files/*`) or an exact path, which have no limit.
    public static let longestSearchedPath = 256

    /// Whether the regex matches anywhere in `path`, as `grep` and Python's `re.search` do;
    /// false for a path longer than ``searchLimit``, without running the regex.
    func isFound(in path: String) -> Bool {
        guard path.utf8.count <= searchLimit else { return false }
        return (try? regex.firstMatch(in: path)) != nil
    }

    public static func == (lhs: CompiledRegex, rhs: CompiledRegex) -> Bool { lhs.source == rhs.source }
}
