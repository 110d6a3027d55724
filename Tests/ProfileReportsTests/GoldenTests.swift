@testable import ProfileReports
import ProfileModel
import Testing

/// Every renderer's exact output on the fixed fixtures. A change here is a change users see:
/// review the golden diff, then regenerate with `UPDATE_GOLDEN=1 swift test ...`.
@Suite("Golden files")
struct GoldenTests {
    @Test("text report", arguments: [
        ("request.txt", RenderOptions()),
        ("request-color.txt", RenderOptions(ansiColor: true)),
        ("request-percent.txt", RenderOptions(timeDisplay: .percent)),
        ("request-all-frames.txt", RenderOptions(showAllFrames: true, threshold: 0)),
    ])
    func text(name: String, options: RenderOptions) throws {
        try GoldenFile.check(try Fixtures.request.render(as: .text, options: options).bytes, named: name)
    }

    @Test("html, json, speedscope and collapsed reports", arguments: [
        (ProfileFormat.html, "request.html"),
        (.json, "request.json"),
        (.speedscope, "request.speedscope.json"),
        (.collapsed, "request.collapsed.txt"),
    ])
    func report(format: ProfileFormat, name: String) throws {
        try GoldenFile.check(try Fixtures.request.render(as: format).bytes, named: name)
    }

    /// The protobuf before gzip: gzip's bytes depend on the zlib version, the message does not.
    @Test("pprof message")
    func pprof() throws {
        let report = try Fixtures.request.render(as: .pprof)
        let message = try Gzip.decompress(report.bytes)
        #expect(message == PprofRenderer.encode(Fixtures.request))
        try GoldenFile.check(message, named: "request.pb")
    }

    @Test("empty profile", arguments: [ProfileFormat.text, .json])
    func empty(format: ProfileFormat) throws {
        try GoldenFile.check(try Fixtures.empty.render(as: format).bytes, named: "empty.\(format.fileExtension)")
    }
}
