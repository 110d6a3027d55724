/// The dashboard (`PROFILING_DASHBOARD`, `PROFILING_DASHBOARD_TOKEN`): served by the
/// middleware itself under ``prefix``, so there are no routes to register. Off while the
/// prefix is nil.
public struct DashboardSettings: Sendable, Equatable {
    /// Path prefix such as `/_profiler` (leading `/`, no trailing `/`, ASCII letters, digits
    /// and `-._~/`); nil: no dashboard. An invalid one set in code turns the dashboard off.
    public var prefix: String?
    /// When set, every dashboard URL needs `Authorization: Bearer <token>`. Surrounding
    /// whitespace is ignored; a blank token lets no one in.
    public var token: String?

    public init(prefix: String? = nil, token: String? = nil) {
        self.prefix = prefix
        self.token = token
    }

    public var isEnabled: Bool { prefix != nil }
}
