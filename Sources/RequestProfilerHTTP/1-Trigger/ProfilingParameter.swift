/// The names of the query parameters and headers the middleware understands, in one place so
/// adapters, docs and tests cannot drift apart.
public enum ProfilingParameter {
    /// `profile=1` (or `true`, or a bare `profile`) asks for a profile of this request.
    public static let profile = "profile"
    /// `profile_format=html|text|json|speedscope|collapsed|pprof` picks the report format.
    public static let format = "profile_format"
    /// `profile_interval=0.5ms` overrides the sampling interval for this request.
    public static let interval = "profile_interval"
    /// `profile_save=1` saves the report instead of replacing the response.
    public static let save = "profile_save"
    /// Every query parameter above: each may be given once.
    public static let queryNames = [profile, format, interval, save]

    /// Request header carrying the token when ``ProfilingSettings/token`` is set.
    public static let tokenHeader = "X-Profile-Token"
    /// Response header naming the saved report file.
    public static let reportHeader = "X-Profile-Report"
    /// Response header saying why a request that asked for a profile got none.
    public static let skippedHeader = "X-Profile-Skipped"
    /// Response header, on a report that replaced the response, carrying the original status.
    public static let originalStatusHeader = "X-Profile-Original-Status"
    /// Response header, on a report that replaced the response or was saved, carrying its
    /// sample count: a request shorter than the interval may have none, and formats such as
    /// collapsed stacks are then empty.
    public static let samplesHeader = "X-Profile-Samples"

    /// Whether the value of `profile` turns profiling on: `1`, `true` or empty (bare `?profile`).
    @inlinable
    public static func isOn(_ value: String) -> Bool {
        value.isEmpty || value == "1" || value.lowercased() == "true"
    }
}
