/// A finished report: the bytes plus what a sink needs to send or save them, so the
/// middleware never has to know which format produced what.
public struct RenderedReport: Sendable, Hashable {
    public var format: ProfileFormat
    public var bytes: [UInt8]

    public init(format: ProfileFormat, bytes: [UInt8]) {
        self.format = format
        self.bytes = bytes
    }

    /// Convenience for the text formats.
    public init(format: ProfileFormat, text: String) {
        self.init(format: format, bytes: Array(text.utf8))
    }

    /// MIME type for a `Content-Type` header.
    public var contentType: String { format.contentType }
    /// Extension for a saved file (without the leading dot).
    public var fileExtension: String { format.fileExtension }
}
