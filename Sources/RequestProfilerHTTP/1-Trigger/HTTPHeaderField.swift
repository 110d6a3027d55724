/// A response header the core asks an adapter to add, as plain strings so that the core needs
/// neither Vapor's nor Hummingbird's header types.
public struct HTTPHeaderField: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
