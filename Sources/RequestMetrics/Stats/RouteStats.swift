/// One row of the per-route table.
public struct RouteStats: Sendable, Equatable {
    public var method: String
    public var route: String
    public var summary: LatencySummary

    public init(method: String, route: String, summary: LatencySummary) {
        self.method = method
        self.route = route
        self.summary = summary
    }
}
