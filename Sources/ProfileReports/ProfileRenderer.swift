import ProfileModel

/// Turns a `Profile` into the bytes of one report format.
///
/// Implementation requirements:
/// - Be a pure function of the profile and the options: no clock, no randomness, no global
///   state, no I/O except reading `RenderOptions.templateDirectory`. The same input must give
///   the same bytes, which is what the golden-file tests rely on.
/// - Never mutate or retain the profile; it may be rendered in several formats at once, from
///   several threads.
/// - Produce a complete, standalone document: a report is sent as a response body or saved
///   to disk as is, with no further assets (no network, no CDN, no Bundle.module).
/// - Honour the options that apply to the format, and document which ones do not.
/// - Throw (rather than produce a broken report) when a user template fails to load or
///   parse; built-in formats must not fail on any well-formed profile, including an empty one.
/// - Stay fast: every built-in renderer handles 10,000 samples 50 frames deep in well under
///   100 ms in a release build, since a report is produced while a request waits.
public protocol ProfileRenderer: Sendable {
    /// The format this renderer writes; it sets the report's content type and file extension.
    var format: ProfileFormat { get }

    /// Renders `profile` to a finished report.
    func render(_ profile: Profile, options: RenderOptions) throws -> RenderedReport
}
