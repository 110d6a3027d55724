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
        return JSONReport(
            schema: JSONReport.schemaName,
            schemaVersion: JSONReport.currentSchemaVersion,
            exporter: JSONReportExporter(name: ExporterInfo.name, version: ExporterInfo.version),
            metadata: profile.metadata,
            tree: JSONReportTreeOptions(
                showAllFrames: options.showAllFrames,
                hidePatterns: options.hidePatterns,
                showPatterns: options.showPatterns,
                threshold: options.threshold(default: 0)
            ),
            frames: profile.frames.map(JSONReportFrame.init),
            root: JSONReportNode(node: tree.root, frames: tree.frames),
            aggregate: options.aggregate,
            diff: options.diff
        )
    }
}
