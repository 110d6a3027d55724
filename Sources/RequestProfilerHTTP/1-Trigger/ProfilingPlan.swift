import RequestProfiler

/// How one accepted request is to be profiled and where its report goes: the trigger's
/// output and the only input the session and the sink need.
public struct ProfilingPlan: Sendable, Equatable {
    public var format: ProfileFormat
    public var interval: Duration
    public var maximumDuration: Duration
    public var delivery: ReportDelivery
    /// Also write the text report to the log.
    public var printsReport: Bool

    public init(
        format: ProfileFormat, interval: Duration, maximumDuration: Duration,
        delivery: ReportDelivery, printsReport: Bool
    ) {
        self.format = format
        self.interval = interval
        self.maximumDuration = maximumDuration
        self.delivery = delivery
        self.printsReport = printsReport
    }
}
