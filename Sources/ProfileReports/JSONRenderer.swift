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

    /// A number set in code (a threshold of infinity folds everything, a start time of NaN)
    /// brought into the range a json report holds: JSON has no infinity or NaN, and the html
    /// and text formats render such values; a report the loader would refuse is no report.
    private static func inRange(_ value: Double, _ range: ClosedRange<Double>) -> Double {
        value.isNaN ? range.lowerBound : min(max(value, range.lowerBound), range.upperBound)
    }

    /// The report value, before encoding.
    public static func report(for profile: Profile, options: RenderOptions = RenderOptions()) -> JSONReport {
        let tree = options.callTree(of: profile, defaultThreshold: 0)
        var cutNodes = 0
        let root = JSONReportNode(node: tree.root, frames: tree.frames, level: 0, cutNodes: &cutNodes)
        var metadata = profile.metadata
        metadata.startTime = Self.inRange(metadata.startTime, 0...9e9)
        if cutNodes > 0 {
            metadata.notes.append(
                "Calls deeper than \(JSONReport.deepestNodeLevel) frames are not in this json report's tree: their time counts for the frame at that depth (the text, speedscope, collapsed and pprof formats show whole stacks; the html page, down to \(HTMLPageData.deepestNodeLevel) levels).")
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
                threshold: Self.inRange(options.threshold(default: 0), 0...100)
            ),
            frames: profile.frames.map(JSONReportFrame.init),
            root: root,
            aggregate: options.aggregate,
            diff: options.diff
        )
    }
}
