import ProfileModel
import ProfileReports

extension LoadedReport {
    /// How the report was shaped when it was saved: its tree options, and the table of a saved
    /// aggregate or diff, so that rendering it again in any format shows what it showed.
    public var savedRenderOptions: RenderOptions {
        var options = RenderOptions(reportTree: report.tree)
        options.aggregate = report.aggregate
        options.diff = report.diff
        return options
    }

    /// The report in another format (`request-profiler render`, the dashboard's html view of a
    /// saved json report).
    public func render(as format: ProfileFormat, ansiColor: Bool = false) throws -> RenderedReport {
        var options = savedRenderOptions
        options.ansiColor = ansiColor
        let profile =
            Profile.stackFormats.contains(format) ? self.profile.foldingRebuiltRuns(hiddenBy: options.callTreeOptions) : self.profile
        return try profile.render(as: format, options: options)
    }
}
