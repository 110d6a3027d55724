import ProfileAggregate

/// A note for each input that is itself an aggregate or a diff (printed by
/// ``ReportSelection/selectNoting(_:)``): it counts as one request when combined again
/// (docs/aggregate-report.md), so an earlier `merge -o` left in the folder would skew the
/// request count, medians and p95 without a word.
enum CombinedReportNote {
    /// One line per aggregate or diff among `reports`.
    static func notes(for reports: [LoadedReport]) -> [String] {
        reports.compactMap { report in
            let kind: String
            if let aggregate = report.report.aggregate {
                kind = "an aggregate of \(aggregate.requests.requestCount) requests"
            } else if report.report.diff != nil {
                kind = "a diff report"
            } else {
                return nil
            }
            return "note: \(report.path) is \(kind); it counts as one request here (combine the original reports instead)"
        }
    }
}
