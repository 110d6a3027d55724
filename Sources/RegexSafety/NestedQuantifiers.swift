/// Regular expressions are compiled from text a server does not control as closely as its
/// code (settings, saved reports) and run by Swift's `Regex`, a backtracking engine: a pattern
/// that repeats a group which itself repeats (`(a+)+`) takes exponential time on a text it does
/// not match. Patterns of that shape are refused where they are read.
public enum NestedQuantifiers {
    /// Whether an unbounded repetition (`*`, `+`, `{n,}`, or `{n,m}` with m above 16) applies to
    /// a group that itself repeats or alternates (`(a+)+`, `(.*)*`, `(x{2,})*`, `(\w|\d)+`): the
    /// shapes that make a backtracking engine, as Swift's `Regex` is, take exponential time on a
    /// text that does not match. A group made optional (`(/.*)?`) or repeated a few times
    /// (`(\d{4}){2}`) is not. Escapes (`\d`, `\p{L}`, `\x{41}`), character classes, quoted text
    /// (`\Q...\E`) and comments (`(?#...)`) are skipped as the engine skips them; extended
    /// syntax (`(?x)`, whose `#` comments and spaces the scan does not follow) counts as found,
    /// so it is refused.
    public static func found(in pattern: String) -> Bool {
        scan(pattern).nested
    }

    /// How many unbounded repetitions (`*`, `+`, `{n,}`, `{n,m}` with m above 16) `pattern` has,
    /// nested or not, outside escapes, classes, quoted text and comments. A search with k of
    /// them in a row takes up to about n^(k+1) steps on a text of n characters built to make
    /// it backtrack, so a caller that runs a pattern on text a client chooses bounds k, or n
    /// by k.
    public static func unboundedRepeats(in pattern: String) -> Int {
        scan(pattern).unbounded
    }

    /// One pass over `pattern`: whether it nests an unbounded repetition over a group that
    /// repeats or alternates (the scan stops there), and the unbounded repetitions seen.
    private static func scan(_ pattern: String) -> (nested: Bool, unbounded: Int) {
        var unboundedCount = 0
        let scalars = Array(pattern.unicodeScalars)
        /// Per open group: whether it holds a quantifier or a `|` (at any depth).
        var groups: [Bool] = []
        var closedGroupRisky = false  // the token just before closed a group that repeats or alternates
        var index = 0
        func at(_ offset: Int) -> Unicode.Scalar? {
            scalars.indices.contains(index + offset) ? scalars[index + offset] : nil
        }
        func markCurrentGroup() {
            if !groups.isEmpty { groups[groups.count - 1] = true }
        }
        while index < scalars.count {
            let afterRiskyGroup = closedGroupRisky
            closedGroupRisky = false
            switch scalars[index] {
            case "\\" where at(1) == "Q":
                // Literal text up to `\E` (or the end).
                index += 2
                while index < scalars.count, !(scalars[index] == "\\" && at(1) == "E") { index += 1 }
                index += 2
            case "\\":
                // `\p{L}`, `\x{41}`, `\u{1F600}`, `\N{name}`, `\k{name}`...: the braces are the
                // escape's, not a quantifier.
                index += 2
                if at(0) == "{", let close = scalars[index...].firstIndex(of: "}") { index = close + 1 }
            case "[":
                // A class ends at the first `]` that is not its first member or escaped.
                index += 1
                if at(0) == "^" { index += 1 }
                if at(0) == "]" { index += 1 }
                while index < scalars.count, scalars[index] != "]" { index += scalars[index] == "\\" ? 2 : 1 }
                index += 1
            case "(" where at(1) == "?" && at(2) == "#":
                while index < scalars.count, scalars[index] != ")" { index += 1 }
                index += 1
            case "(":
                if at(1) == "?" {
                    // Options (`(?i)`, `(?^x)`, `(?x:...)`) or a group kind (`(?:`, `(?<name>`, `(?=`).
                    var option = index + 2
                    while option < scalars.count,
                        scalars[option].properties.isAlphabetic || scalars[option] == "-" || scalars[option] == "^" {
                        if scalars[option] == "x" { return (true, unboundedCount) }
                        option += 1
                    }
                    if option < scalars.count, scalars[option] == ")" {
                        index = option + 1  // options for the rest of the group: no group of its own
                        continue
                    }
                }
                groups.append(false)
                index += at(1) == "?" ? 2 : 1
            case ")":
                let risky = groups.popLast() ?? false
                if risky { markCurrentGroup() }
                closedGroupRisky = risky
                index += 1
            case "|":
                markCurrentGroup()
                index += 1
            case "*", "+", "?", "{":
                let (length, unbounded) = Self.quantifier(scalars, at: index)
                guard length > 0 else { index += 1; continue }  // a `{` that is no quantifier
                if unbounded, afterRiskyGroup { return (true, unboundedCount) }
                if unbounded { unboundedCount += 1 }
                markCurrentGroup()
                index += length
            default:
                index += 1
            }
        }
        return (false, unboundedCount)
    }

    /// The quantifier at `index` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`): its length (0 for a `{`
    /// that starts none) and whether it repeats without a small bound.
    private static func quantifier(_ scalars: [Unicode.Scalar], at index: Int) -> (length: Int, unbounded: Bool) {
        switch scalars[index] {
        case "*", "+": return (1, true)
        case "?": return (1, false)
        default:
            guard let close = scalars[index...].firstIndex(of: "}") else { return (0, false) }
            let body = String(String.UnicodeScalarView(scalars[(index + 1)..<close]))
            let parts = body.split(separator: ",", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
                !parts[0].isEmpty || parts.count == 2
            else { return (0, false) }
            let length = close - index + 1
            guard parts.count == 2 else { return (length, false) }  // {n}: exactly n
            guard let upper = Int(parts[1]) else { return (length, true) }  // {n,}
            return (length, upper > 16)
        }
    }
}
