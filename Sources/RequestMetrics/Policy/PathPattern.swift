import RegexSafety

/// One item of `PROFILING_METRICS_EXCLUDE` or of `PROFILING_METRICS_OVERRIDES`.
///
/// Grammar: `re:REGEX` is a regex searched for in the path (anchor it with `^` and `$` to
/// match the whole path, as in `re:^/internal/`), with at most two unbounded repeats, in paths
/// of at most ``CompiledRegex/searchLimit`` bytes only (256, or 64 with two repeats), so that a
/// path a client makes long cannot hold the request's thread in the search; `/prefix/*` matches every path starting
/// with `/prefix/`; anything else is an exact path, which also matches the same path with or
/// without one trailing slash, since Vapor and Hummingbird answer `/health/` with `/health`'s
/// handler: excluding `/health` must not leave `/health/` measured.
public enum PathPattern: Sendable, Equatable, CustomStringConvertible {
    case exact(String)
    case prefix(String)
    case regex(CompiledRegex)

    public init(parsing text: String) throws(PathPatternError) {
        let trimmed = text.trimmingWhitespace()
        if trimmed.hasPrefix("re:") {
            // `re: ^/x` means `^/x`: a space before the anchor would never match.
            let source = String(trimmed.dropFirst(3)).trimmingWhitespace()
            guard !source.isEmpty else { throw PathPatternError(pattern: text, reason: "the regex after \"re:\" is empty") }
            // Run on every request's path, which a client chooses: a nested repetition would
            // let one request hold a thread for minutes.
            guard !NestedQuantifiers.found(in: source) else {
                throw PathPatternError(
                    pattern: text,
                    reason: "the regex repeats a group that repeats or alternates (such as (a+)+ or (a|b)+), which can take exponential time on a request's path")
            }
            let repeats = NestedQuantifiers.unboundedRepeats(in: source)
            guard repeats <= CompiledRegex.mostUnboundedRepeats else {
                throw PathPatternError(
                    pattern: text,
                    reason: "the regex has \(repeats) unbounded repeats (*, +, {n,}); at most \(CompiledRegex.mostUnboundedRepeats) are allowed, since searching a path a client chose took seconds with three (write a prefix such as /api/*, or split the pattern)")
            }
            do {
                self = .regex(try CompiledRegex(source: source))
            } catch {
                throw PathPatternError(pattern: text, reason: "not a valid regex (\(error))")
            }
            return
        }
        guard !trimmed.isEmpty else { throw PathPatternError(pattern: text, reason: "empty pattern") }
        guard trimmed.hasPrefix("/") else {
            throw PathPatternError(pattern: text, reason: "a path must start with \"/\" (or use \"re:\" for a regex)")
        }
        let body = trimmed.hasSuffix("*") ? trimmed.dropLast() : Substring(trimmed)
        guard !body.contains("*") else {
            throw PathPatternError(pattern: text, reason: "\"*\" is allowed only at the end (use \"re:\" for a regex)")
        }
        self = trimmed.hasSuffix("*") ? .prefix(String(body)) : .exact(String(body))
    }

    public func matches(_ path: String) -> Bool {
        switch self {
        case .exact(let exact): path == exact || Self.differOnlyByTrailingSlash(path, exact)
        case .prefix(let prefix): path.utf8.starts(with: prefix.utf8)
        case .regex(let regex): regex.isFound(in: path)
        }
    }

    /// Whether one string is the other plus a final `/`. Counts first: a path that differs by
    /// more than one byte is rejected without reading it.
    private static func differOnlyByTrailingSlash(_ a: String, _ b: String) -> Bool {
        let (shorter, longer) = a.utf8.count < b.utf8.count ? (a.utf8, b.utf8) : (b.utf8, a.utf8)
        return longer.count == shorter.count + 1 && longer.last == UInt8(ascii: "/") && longer.starts(with: shorter)
    }

    /// The pattern as it would be written in the setting.
    public var description: String {
        switch self {
        case .exact(let exact): exact
        case .prefix(let prefix): prefix + "*"
        case .regex(let regex): "re:" + regex.source
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
