import ProfileModel

extension Frame {
    /// Where a report says the frame is: `Sources/App/File.swift:12` (the short display path,
    /// see `SourcePath`), or the image name when there is no debug info.
    var reportLocation: String? {
        guard let file = displayFile else { return image.isEmpty ? nil : image }
        return line.map { "\(file):\($0)" } ?? file
    }
}
