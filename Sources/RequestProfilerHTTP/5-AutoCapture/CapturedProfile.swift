/// A report saved for a request, as profiles.json and the dashboard list it.
public struct CapturedProfile: Sendable, Equatable {
    /// Why the request was profiled.
    public enum Trigger: String, Sendable {
        /// `?profile=1&profile_save=1`.
        case query
        /// Picked by `PROFILING_AUTO_RATE` and kept because it was slow.
        case auto
    }

    /// The report's file name in the reports directory.
    public var file: String
    public var method: String
    /// The route template, or `RouteName.unmatched`.
    public var route: String
    public var status: Int
    public var durationNanoseconds: UInt64
    /// Request start, wall clock, nanoseconds since 1970.
    public var timestampNanoseconds: UInt64
    public var trigger: Trigger

    public init(
        file: String, method: String, route: String, status: Int,
        durationNanoseconds: UInt64, timestampNanoseconds: UInt64, trigger: Trigger
    ) {
        self.file = file
        self.method = method
        self.route = route
        self.status = status
        self.durationNanoseconds = durationNanoseconds
        self.timestampNanoseconds = timestampNanoseconds
        self.trigger = trigger
    }
}
