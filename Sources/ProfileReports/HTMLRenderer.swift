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

    public init() {}

    public func render(_ profile: Profile, options: RenderOptions) throws -> RenderedReport {
        let tree = options.callTree(of: profile, defaultThreshold: Self.defaultThreshold)
        let context: [String: Any] = [
            "summary": ReportSummary(profile: profile),
            "data": try HTMLPageData(tree: tree).scriptSafeJSON(),
            "threshold": TimeText.percent(fraction: options.threshold(default: Self.defaultThreshold)),
            "showAllFrames": options.showAllFrames,
        ]
        let library = try TemplateLibrary(overridesIn: options.templateDirectory)
        return RenderedReport(format: .html, text: try library.render(context, template: "html/page"))
    }
}
