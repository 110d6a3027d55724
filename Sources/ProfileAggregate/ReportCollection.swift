import ProfileReports

/// Ready-made views of a collection of saved reports, for callers that hold a list of report
/// files (the dashboard's captured profiles of one route, a folder of auto-captured reports):
/// each returns a finished report in the format asked for.
public enum ReportCollection {
    /// The aggregate of every report in `paths` (files or folders), rendered in `format`.
    /// - Throws: `ReportLoadError` naming a bad file; a renderer's error.
    public static func merge(_ paths: [String], format: ProfileFormat, options: RenderOptions = RenderOptions()) throws -> RenderedReport {
        try merge(reports: ReportLoader.load(paths), format: format, options: options)
    }

    /// The aggregate of reports already loaded, rendered in `format`.
    public static func merge(reports: [LoadedReport], format: ProfileFormat, options: RenderOptions = RenderOptions()) throws -> RenderedReport {
        try AggregateProfile(reports: reports).render(as: format, options: options)
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

    /// The same for reports already loaded, ordered by time, oldest first.
    public static func lastVersusPrevious(reports: [LoadedReport], count: Int, format: ProfileFormat, options: RenderOptions = RenderOptions()) throws -> RenderedReport {
        let (before, after) = try split(reports, count: count)
        return try ProfileDiff(before: before, after: after).render(as: format, options: options)
    }

    /// How many items `lastVersusPrevious` reads of `available` ordered ones: the newest.
    public static func itemsCompared(available: Int, count: Int) -> Int {
        guard available >= 2, count >= 1 else { return available }
        let afterCount = min(count, available / 2)
        return afterCount + min(count, available - afterCount)
    }

    /// The before and after sets of `lastVersusPrevious`.
    static func split<Item>(_ items: [Item], count: Int) throws(ReportCollectionError) -> (before: [Item], after: [Item]) {
        guard items.count >= 2, count >= 1 else { throw .tooFewReports(found: items.count) }
        let afterCount = min(count, items.count / 2)
        let after = Array(items.suffix(afterCount))
        let before = Array(items.dropLast(afterCount).suffix(count))
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
