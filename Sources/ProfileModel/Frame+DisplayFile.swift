extension Frame {
    /// The frame's source file as reports show it: short and free of the build machine's
    /// folders (see `SourcePath`). The absolute `file` stays in json and in html tooltips.
    public var displayFile: String? {
        file.map { SourcePath.short($0, isApplication: kind == .application) }
    }
}
