import ProfileModel
import ProfileReports

/// Many requests of the same code as one report: the merged profile (every sample of every
/// request, so every format renders it, sums included) plus per-frame request statistics
/// (`AggregateSummary`), which the html, text and json reports show through
/// `RenderOptions.aggregate`.
public struct AggregateProfile: Sendable {
    /// The merged profile: times, samples and sampler counters summed over the requests.
    public let profile: Profile
    public let summary: AggregateSummary
    /// For a profile rebuilt from saved reports, the tree options they were saved with (those
    /// of the first: one server saves them all alike); see `Profile.foldingRebuiltRuns(hiddenBy:)`.
    let savedTreeOptions: CallTreeOptions?

    /// Merges `profiles` (one per request).
    public init(profiles: [Profile]) {
        self.init(profiles: profiles, savedTreeOptions: nil)
    }

    /// Merges saved reports.
    public init(reports: [LoadedReport]) {
        self.init(profiles: reports.map(\.profile), savedTreeOptions: reports.first.map(\.savedRenderOptions.callTreeOptions))
    }

    private init(profiles: [Profile], savedTreeOptions: CallTreeOptions?) {
        var table = FrameTable()
        let set = RequestSet(profiles: profiles, table: &table)
        profile = set.merged
        summary = AggregateSummary(requests: set.summary, frames: Self.statistics(of: set))
        self.savedTreeOptions = savedTreeOptions
    }

    /// Renders the aggregate in `format`; `options.aggregate` is filled in.
    /// - Throws: a renderer's error; `ReportLoadError.tooLarge` for a json report larger than
    ///   the loader reads (see ``ReloadableJSON``).
    public func render(as format: ProfileFormat, options: RenderOptions = RenderOptions()) throws -> RenderedReport {
        try render(as: format, options: options, limits: .standard)
    }

    /// ``render(as:options:)`` with a json report held to `limits` (tests: small ones).
    func render(as format: ProfileFormat, options: RenderOptions, limits: ReportFileLimits) throws -> RenderedReport {
        var options = options
        options.aggregate = summary
        let profile =
            if let savedTreeOptions, Profile.stackFormats.contains(format) {
                self.profile.foldingRebuiltRuns(hiddenBy: savedTreeOptions)
            } else {
                self.profile
            }
        return try ReloadableJSON.check(
            profile.render(as: format, options: options), reports: summary.requests.requestCount, kind: "a merge", limits: limits)
    }

    static func statistics(of set: RequestSet) -> [FrameStatistics] {
        set.frames.indices.compactMap { index -> FrameStatistics? in
            guard set.frames[index].kind != .profiler else { return nil }
            // A frame with times appeared in a request: one that appeared in none has none.
            let appearances = set.appearances(of: index)
            guard appearances > 0 else { return nil }
            let totals = set.values(of: index) { $0.total }
            return FrameStatistics(
                frame: index,
                name: set.frames[index].shortName,
                requestCount: appearances,
                wallNanoseconds: totals.sum,
                cpuNanoseconds: set.values(of: index) { $0.cpu }.sum,
                awaitNanoseconds: set.values(of: index) { $0.awaitWall }.sum,
                selfNanoseconds: set.values(of: index) { $0.leaf }.sum,
                medianNanoseconds: totals.percentile(0.5),
                p95Nanoseconds: totals.percentile(0.95)
            )
        }
        .sorted { ($0.wallNanoseconds, $1.frame) > ($1.wallNanoseconds, $0.frame) }
    }
}
