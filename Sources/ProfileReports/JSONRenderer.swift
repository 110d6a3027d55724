import ProfileModel

/// The call tree and metadata as JSON (`JSONReport`, documented in
/// `docs/json-report-schema.md`), encoded with Codable through `CompactJSONEncoder`: compact
/// (a 50-deep tree pretty-printed is mostly indentation), keys in declaration order.
///
/// Uses the frame filters and `threshold` (default 0: every node); `timeDisplay` and
/// `ansiColor` do not apply.
public struct JSONRenderer: ProfileRenderer {
    public var format: ProfileFormat { .json }

    public init() {}

    public func render(_ profile: Profile, options: RenderOptions) throws -> RenderedReport {
        RenderedReport(format: .json, bytes: try CompactJSONEncoder().encode(Self.report(for: profile, options: options)))
    }

    /// The report value, before encoding.
    public static func report(for profile: Profile, options: RenderOptions = RenderOptions()) -> JSONReport {
        let tree = options.callTree(of: profile, defaultThreshold: 0)
        var cutNodes = 0
        let root = JSONReportNode(node: tree.root, frames: tree.frames, level: 0, cutNodes: &cutNodes)
        var metadata = profile.metadata
        if cutNodes > 0 {
            metadata.notes.append(
                "Calls deeper than \(JSONReport.deepestNodeLevel) frames are not in this json report's tree: their time counts for the frame at that depth (the other formats show whole stacks).")
        }
        return JSONReport(
            schema: JSONReport.schemaName,
            schemaVersion: JSONReport.currentSchemaVersion,
            exporter: JSONReportExporter(name: ExporterInfo.name, version: ExporterInfo.version),
            metadata: metadata,
            tree: JSONReportTreeOptions(
                showAllFrames: options.showAllFrames,
                hidePatterns: options.hidePatterns,
                showPatterns: options.showPatterns,
                threshold: options.threshold(default: 0)
            ),
            frames: profile.frames.map(JSONReportFrame.init),
            root: root,
            aggregate: options.aggregate,
            diff: options.diff
        )
    }
}
