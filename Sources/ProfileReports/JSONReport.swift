import ProfileModel

/// The json report, encoded with Codable. Its schema is documented field by field in
/// `docs/json-report-schema.md`; bump `schemaVersion` on any change that is not additive.
public struct JSONReport: Sendable, Hashable, Codable {
    /// Lets a consumer recognise the document without guessing from its shape.
    public var schema: String
    public var schemaVersion: Int
    public var exporter: JSONReportExporter
    /// The profile's metadata as the model encodes it (`ProfileMetadata`).
    public var metadata: ProfileMetadata
    /// How the tree below was shaped (hidden frames, threshold).
    public var tree: JSONReportTreeOptions
    /// The frame table of the profile: every function any sample saw.
    public var frames: [JSONReportFrame]
    /// The call tree's synthetic root; its totals are the whole profile's.
    public var root: JSONReportNode
    /// Present in a report of many requests: the request set and per-frame statistics.
    public var aggregate: AggregateSummary?
    /// Present in a differential report: per-frame change between two request sets.
    public var diff: DiffSummary?

    public static let schemaName = "swift-request-profiler.report"
    public static let currentSchemaVersion = 1
    /// The deepest level of the tree a report holds (the root is level 0). Foundation's JSON
    /// readers (JSONDecoder, JSONSerialization) refuse documents nested more than 512 deep, and
    /// each level of the tree nests two (a node, its `children`): a stack of 300 frames wrote a
    /// report that `request-profiler merge` and the dashboard could not read back. Deeper calls
    /// count in the totals of the node at this level, as the threshold folds small ones, and a
    /// note says so; the text, speedscope, collapsed and pprof formats keep whole stacks, the html
    /// page down to ``HTMLPageData/deepestNodeLevel`` levels.
    public static let deepestNodeLevel = 240
}
