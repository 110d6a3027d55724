/// Regular expressions are compiled from text a server does not control as closely as its
/// code (settings, saved reports) and run by Swift's `Regex`, a backtracking engine: a pattern
/// that repeats a group which itself repeats (`(a+)+`) takes exponential time on a text it does
/// not match. Patterns of that shape are refused where they are read.
public enum NestedQuantifiers {
    /// Whether a quantifier applies to a group that itself holds one (`(a+)+`, `(.*)*`,
    /// `(x{2,})?`): the shape that makes a backtracking engine, as Swift's `Regex` is, take
    /// exponential time on a name that does not match. Escapes, character classes, quoted text
    /// (`\Q...\E`) and comments (`(?#...)`) are skipped as the engine skips them (a `[` in them
    /// hid the rest of the pattern from the check); extended syntax (`(?x)`, whose `#` comments
    /// and spaces the scan does not follow) counts as nesting, so it is refused.
    public static func found(in pattern: String) -> Bool {
        let scalars = Array(pattern.unicodeScalars)
        var groupsHoldQuantifier: [Bool] = []  // one per open group
        var afterQuantifiedGroup = false  // the token just before closed a group that held one
        var index = 0
        func at(_ offset: Int) -> Unicode.Scalar? {
            scalars.indices.contains(index + offset) ? scalars[index + offset] : nil
        }
        while index < scalars.count {
            let quantifiedGroupBefore = afterQuantifiedGroup
            afterQuantifiedGroup = false
            switch scalars[index] {
            case "\\" where at(1) == "Q":
                // Literal text up to `\E` (or the end).
                index += 2
                while index < scalars.count, !(scalars[index] == "\\" && at(1) == "E") { index += 1 }
                index += 2
            case "\\":
                index += 2
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
                    // Options (`(?i)`, `(?x:...)`) or a group kind (`(?:`, `(?<name>`, `(?=`).
                    var option = index + 2
                    while option < scalars.count, scalars[option].properties.isAlphabetic || scalars[option] == "-" {
                        if scalars[option] == "x" { return true }
                        option += 1
                    }
                    if option < scalars.count, scalars[option] == ")" {
                        index = option + 1  // options for the rest of the group: no group of its own
                        continue
                    }
                }
                groupsHoldQuantifier.append(false)
                index += at(1) == "?" ? 2 : 1
            case ")":
                let held = groupsHoldQuantifier.popLast() ?? false
                if held, !groupsHoldQuantifier.isEmpty { groupsHoldQuantifier[groupsHoldQuantifier.count - 1] = true }
                afterQuantifiedGroup = held
                index += 1
            case "*", "+", "?", "{":
                if quantifiedGroupBefore { return true }
                if !groupsHoldQuantifier.isEmpty { groupsHoldQuantifier[groupsHoldQuantifier.count - 1] = true }
                index += 1
            default:
                index += 1
            }
        }
        return false
    }
}
