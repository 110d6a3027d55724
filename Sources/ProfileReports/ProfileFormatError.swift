/// A `profile_format` value that names no report format. Its message lists the valid names,
/// so the person who typed the query string can correct it from the error response alone.
public struct ProfileFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The value as it was given.
    public var unknownName: String

    public init(unknownName: String) {
        self.unknownName = unknownName
    }

    /// The names `ProfileFormat(parsing:)` accepts.
    public static var validNames: [String] { ProfileFormat.allCases.map(\.rawValue) }

    public var description: String {
        "Unknown profile format \"\(unknownName)\". Valid formats: \(Self.validNames.joined(separator: ", "))."
    }
}
