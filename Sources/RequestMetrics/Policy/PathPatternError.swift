/// Why a path pattern of `PROFILING_METRICS_EXCLUDE` / `_OVERRIDES` was rejected; the message
/// quotes the pattern so a settings error can name both the variable and the bad item.
public struct PathPatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public var pattern: String
    public var reason: String

    public init(pattern: String, reason: String) {
        self.pattern = pattern
        self.reason = reason
    }

    public var description: String { "invalid path pattern \"\(pattern)\": \(reason)" }
}
