/// One kind of route handler a framework offers, and the functions its report must show.
public struct HandlerKind: Sendable, CustomStringConvertible {
    public var path: String
    public var functions: [String]

    public init(path: String, functions: [String]) {
        self.path = path
        self.functions = functions
    }

    public var description: String { "/\(path)" }

    /// The kinds both frameworks have.
    public static let common: [HandlerKind] = [
        HandlerKind(path: "async", functions: ["alphaHandlerWork"]),
        HandlerKind(path: "sync", functions: ["syncHandlerWork"]),
        HandlerKind(path: "after-await", functions: ["afterAwaitWork"]),
        HandlerKind(path: "grouped", functions: ["groupMiddlewareWork", "afterAwaitWork"]),
    ]
}
