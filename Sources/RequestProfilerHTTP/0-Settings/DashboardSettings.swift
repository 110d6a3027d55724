/// The dashboard (`PROFILING_DASHBOARD`, `PROFILING_DASHBOARD_TOKEN`): served by the
/// middleware itself under ``prefix``, so there are no routes to register. Off while the
/// prefix is nil.
public struct DashboardSettings: Sendable, Equatable {
    /// Path prefix such as `/_profiler` (leading `/`, no trailing `/`); nil: no dashboard.
    public var prefix: String?
    /// When set, every dashboard URL needs `Authorization: Bearer <token>`.
    public var token: String?

    public init(prefix: String? = nil, token: String? = nil) {
        self.prefix = prefix
        self.token = token
    }

    public var isEnabled: Bool { prefix != nil }
}
