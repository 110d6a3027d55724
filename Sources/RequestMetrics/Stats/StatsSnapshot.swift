/// Everything the dashboard shows, computed at one moment.
public struct StatsSnapshot: Sendable, Equatable {
    public var windowSeconds: Int
    public var overall: LatencySummary
    /// Sorted by route, then method.
    public var routes: [RouteStats]
    /// 60 points: requests in each of the last 60 whole seconds, oldest first (the current
    /// second, still running, is not shown).
    public var sparkline: [Int]
    /// Newest first, at most the store's capacity (100 by default).
    public var recentErrors: [RecentError]

    public init(windowSeconds: Int, overall: LatencySummary, routes: [RouteStats], sparkline: [Int], recentErrors: [RecentError]) {
        self.windowSeconds = windowSeconds
        self.overall = overall
        self.routes = routes
        self.sparkline = sparkline
        self.recentErrors = recentErrors
    }
}
