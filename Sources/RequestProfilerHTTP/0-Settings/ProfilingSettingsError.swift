/// A setting that could not be understood, named by its environment variable (or query
/// parameter) so that the message says exactly what to fix.
public struct ProfilingSettingsError: Error, Equatable, CustomStringConvertible {
    /// The environment variable or query parameter, e.g. `PROFILING_INTERVAL`.
    public var name: String
    /// The value as given.
    public var value: String
    /// What would have been accepted.
    public var expected: String

    public init(name: String, value: String, expected: String) {
        self.name = name
        self.value = value
        self.expected = expected
    }

    public var description: String {
        "invalid \(name)=\"\(value)\": expected \(expected)"
    }
}
