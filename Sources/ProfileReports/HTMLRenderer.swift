import ProfileModel

/// One self-contained html page (CSS and script inline, no network): a header with the
/// request and sampler health, a flame graph and a collapsible, searchable call tree with
/// total/self/CPU/wait per frame. Rendered from the `html/page` template and its partials;
/// the tree travels as JSON inside the page (see `HTMLPageData`).
///
/// Uses the frame filters and `threshold` (default 0.1%); `timeDisplay` and `ansiColor` do
/// not apply (the page shows both times and shares).
public struct HTMLRenderer: ProfileRenderer {
    public var format: ProfileFormat { .html }

    /// Fine enough to keep detail a browser can expand, coarse enough to keep the page small.
    static let defaultThreshold = 0.001
    /// Rows of an aggregate or diff table: enough to scroll through, small enough to stay light.
    static let tableRowLimit = 100

    /// Per frame, the change the page colors it by: `after / before - 1` clamped to -1...1,
    /// 0 for noise, nil for frames the diff does not cover.
    static func changes(_ diff: DiffSummary, frameCount: Int) -> [Double?] {
        var changes = [Double?](repeating: nil, count: frameCount)
        for entry in diff.frames where entry.frame < frameCount {
            changes[entry.frame] = entry.noise ? 0 : min(1, max(-1, entry.relativeChange ?? 1))
        }
        return changes
    }

    public init() {}

    public func render(_ profile: Profile, options: RenderOptions) throws -> RenderedReport {
        let tree = options.callTree(of: profile, defaultThreshold: Self.defaultThreshold)
        let data = try HTMLPageData(tree: tree, changes: options.diff.map { Self.changes($0, frameCount: profile.frames.count) })
            .scriptSafeJSON()
        var summarized = profile
        if data.cutNodes > 0 {
            summarized.metadata.notes.append(
                "Calls deeper than \(HTMLPageData.deepestNodeLevel) frames are not in this page's tree: their time counts for the frame at that depth (the text, speedscope, collapsed and pprof formats show whole stacks).")
        }
        var context: [String: Any] = [
            "summary": ReportSummary(profile: summarized),
            "data": data.json,
            "threshold": TimeText.percent(fraction: options.threshold(default: Self.defaultThreshold)),
            "showAllFrames": options.showAllFrames,
        ]
        if let table = ReportTable(profile: profile, options: options, rowLimit: Self.tableRowLimit) {
            context["table"] = table.context(textLines: false)
        }
        let library = try TemplateLibrary(overridesIn: options.templateDirectory)
        return RenderedReport(format: .html, text: try library.render(context, template: "html/page"))
    }
}
