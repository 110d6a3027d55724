import ProfileModel

/// What ``ReportLoader/load(_:keeping:)`` read: the reports kept, and of every other report
/// read, its path and request, so that a filter that matches nothing can say what there is.
public struct SelectedReports: Sendable {
    /// The reports the filter kept, in the order read.
    public var kept: [LoadedReport]
    /// Every file read, kept or not (a command must not write its result over any of them).
    public var paths: [String]
    /// The request of each report the filter left out (nil for one without request metadata).
    public var leftOut: [RequestInfo?]

    public init(kept: [LoadedReport], paths: [String], leftOut: [RequestInfo?]) {
        self.kept = kept
        self.paths = paths
        self.leftOut = leftOut
    }
}
