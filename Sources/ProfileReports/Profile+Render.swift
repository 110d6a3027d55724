import ProfileModel

extension Profile {
    /// Renders this profile as a report in `format` with the built-in renderer.
    ///
    /// ```swift
    /// let report = try profile.render(as: .html)
    /// // report.bytes, report.contentType ("text/html; charset=utf-8"), report.fileExtension ("html")
    /// ```
    public func render(as format: ProfileFormat, options: RenderOptions = RenderOptions()) throws -> RenderedReport {
        try format.renderer.render(self, options: options)
    }
}
