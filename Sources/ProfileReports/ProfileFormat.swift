import ProfileModel

/// The report formats a profile renders to, named as the `profile_format` query parameter
/// names them.
public enum ProfileFormat: String, Sendable, CaseIterable, Codable {
    /// A self-contained page: collapsible call tree, search and flame graph.
    case html
    /// A pyinstrument-style call tree for a terminal or a log.
    case text
    /// The call tree and metadata as JSON (schema in `docs/json-report-schema.md`).
    case json
    /// speedscope's file format (https://www.speedscope.app), a sampled profile.
    case speedscope
    /// Brendan Gregg's folded stacks, the input of flamegraph.pl and many other tools.
    case collapsed
    /// Gzipped pprof `profile.proto`, for `go tool pprof` and Grafana Pyroscope.
    case pprof

    /// Parses a query-string value (`html`, `TEXT`, ...) case-insensitively, so a request's
    /// `profile_format` can be checked before any profiling work starts.
    /// - Throws: `ProfileFormatError` naming every valid format.
    public init(parsing name: String) throws(ProfileFormatError) {
        guard let format = ProfileFormat(rawValue: name.lowercased()) else {
            throw ProfileFormatError(unknownName: name)
        }
        self = format
    }

    /// The MIME type a response carrying this report declares.
    public var contentType: String {
        switch self {
        case .html: "text/html; charset=utf-8"
        case .text, .collapsed: "text/plain; charset=utf-8"
        case .json, .speedscope: "application/json"
        case .pprof: "application/octet-stream"
        }
    }

    /// The extension a saved report gets, the one its viewers expect (speedscope and pprof
    /// tools recognise `.speedscope.json` and `.pb.gz`).
    public var fileExtension: String {
        switch self {
        case .html: "html"
        case .text: "txt"
        case .json: "json"
        case .speedscope: "speedscope.json"
        case .collapsed: "collapsed.txt"
        case .pprof: "pb.gz"
        }
    }
}
