import ProfileModel

/// One entry of the json report's frame table.
public struct JSONReportFrame: Sendable, Hashable, Codable {
    public var name: String
    /// The name without return type and effects, for display.
    public var shortName: String
    public var image: String
    /// Absolute source path, as debug info recorded it.
    public var file: String?
    /// `file` shortened for display (`Sources/App/File.swift`, `Hummingbird/Router/Router.swift`),
    /// see `SourcePath`. Added in version 1 as an optional field.
    public var displayFile: String?
    public var line: Int?
    public var kind: FrameKind

    init(frame: Frame) {
        name = frame.name
        shortName = frame.shortName
        image = frame.image
        file = frame.file
        displayFile = frame.displayFile
        line = frame.line
        kind = frame.kind
    }
}
