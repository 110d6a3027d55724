import ProfileModel

/// One entry of the json report's frame table.
public struct JSONReportFrame: Sendable, Hashable, Codable {
    public var name: String
    /// The name without return type and effects, for display.
    public var shortName: String
    public var image: String
    public var file: String?
    public var line: Int?
    public var kind: FrameKind

    init(frame: Frame) {
        name = frame.name
        shortName = frame.shortName
        image = frame.image
        file = frame.file
        line = frame.line
        kind = frame.kind
    }
}
