/// One entry of the stats store's ring of recent errors (the dashboard's errors table).
public struct RecentError: Sendable, Equatable {
    public var timestampNanoseconds: UInt64
    public var method: String
    public var route: String
    public var status: Int
    public var exceptionType: String
    public var exceptionValue: String

    public init(
        timestampNanoseconds: UInt64, method: String, route: String, status: Int, exceptionType: String,
        exceptionValue: String
    ) {
        self.timestampNanoseconds = timestampNanoseconds
        self.method = method
        self.route = route
        self.status = status
        self.exceptionType = exceptionType
        self.exceptionValue = exceptionValue
    }
}
