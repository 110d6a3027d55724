import ProfileReports

/// Ready-made views of a collection of saved reports, for callers that hold a list of report
/// files (the dashboard's captured profiles of one route, a folder of auto-captured reports):
/// each returns a finished report in the format asked for.
public enum ReportCollection {
    /// The aggregate of every report in `paths` (files or folders), rendered in `format`.
    /// - Throws: `ReportLoadError` naming a bad file; a renderer's error.
    public static func merge(_ paths: [String], format: ProfileFormat, options: RenderOptions = RenderOptions()) throws -> RenderedReport {
        try AggregateProfile(reports: ReportLoader.load(paths)).render(as: format, options: options)
    }

    /// "The last `count` against the `count` before": `paths` are report files ordered by time,
    /// oldest first; the newest `count` are the after set, the `count` before them the before
    /// set. With fewer than `2 × count` reports the newer half is the after set.
    /// - Throws: `ReportCollectionError.tooFewReports` for fewer than two reports,
    ///   `ReportLoadError` naming a bad file, `DiffFormatError` for a format a diff cannot show.
    public static func lastVersusPrevious(_ paths: [String], count: Int, format: ProfileFormat, options: RenderOptions = RenderOptions()) throws -> RenderedReport {
        let (before, after) = try split(paths, count: count)
        let diff = ProfileDiff(before: try ReportLoader.load(before), after: try ReportLoader.load(after))
        return try diff.render(as: format, options: options)
    }

    /// The before and after sets of `lastVersusPrevious`.
    static func split(_ paths: [String], count: Int) throws(ReportCollectionError) -> (before: [String], after: [String]) {
        guard paths.count >= 2, count >= 1 else { throw .tooFewReports(found: paths.count) }
        let afterCount = min(count, paths.count / 2)
        let after = Array(paths.suffix(afterCount))
        let before = Array(paths.dropLast(afterCount).suffix(count))
        return (before, after)
    }
}

/// A collection that cannot give the view asked for.
public enum ReportCollectionError: Error, Sendable, Hashable, CustomStringConvertible {
    case tooFewReports(found: Int)

    public var description: String {
        switch self {
        case .tooFewReports(let found): "a diff needs at least two reports, found \(found)"
        }
    }
}
