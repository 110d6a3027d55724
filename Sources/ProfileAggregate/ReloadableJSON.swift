import ProfileReports

/// Refuses a json report of many reports (a merge, a diff) that the loader would not read
/// back: README promises that what a merge writes always loads again.
///
/// The sums checked on load (``CombinedReportSize``) do not bound the size of the file: a merge
/// writes a frame table of every distinct frame, a tree whose nodes repeat their frame's name,
/// file and line (optional in a report read, so an input may hold fewer values per node), and
/// adds per-frame statistics no input had. Two reports of 9 million values each, of distinct
/// frames, merged into more than the 16 million one file may hold. Nor would a bound from the
/// inputs' own sizes do: reports of one route share their frames and stacks, and their merge is
/// hardly larger than one of them, so such a bound would refuse merges of many small reports
/// that load again. The rendered bytes are counted instead, as the loader counts them.
enum ReloadableJSON {
    /// `rendered` when it is no json report or one the loader reads; `reports` and `kind` ("a
    /// merge", "a diff") for the message.
    /// - Throws: `ReportLoadError.tooLarge`.
    static func check(_ rendered: RenderedReport, reports: Int, kind: String, limits: ReportFileLimits) throws(ReportLoadError) -> RenderedReport {
        guard rendered.format == .json else { return rendered }
        if rendered.bytes.count > limits.bytes {
            throw .tooLarge(reports: reports, reason: "\(kind) of them as json is larger than the \(limits.bytesText) a report file may be")
        }
        if JSONValueCount.exceeds(limits.jsonValues, in: rendered.bytes) {
            throw .tooLarge(reports: reports, reason: "\(kind) of them as json holds more than the \(limits.jsonValuesText) JSON values a report file may")
        }
        return rendered
    }
}
