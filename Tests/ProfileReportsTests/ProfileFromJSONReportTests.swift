import Foundation
import ProfileModel
import ProfileReports
import Testing

/// A saved json report turned back into a `Profile` must render like the profile it came from.
@Suite("Profile rebuilt from a json report")
struct ProfileFromJSONReportTests {
    /// Renders `profile` as json with `options`, decodes it and rebuilds a profile.
    private func rebuilt(_ profile: Profile, options: RenderOptions = RenderOptions()) throws -> (Profile, JSONReport) {
        let report = try JSONDecoder().decode(JSONReport.self, from: Data(profile.render(as: .json, options: options).bytes))
        return (Profile(report: report), report)
    }

    @Test("text, html and json reports equal the original's", arguments: [ProfileFormat.text, .html, .json])
    func sameReports(format: ProfileFormat) throws {
        let (profile, report) = try rebuilt(Fixtures.request)
        let options = RenderOptions(reportTree: report.tree)
        let original = String(decoding: try Fixtures.request.render(as: format).bytes, as: UTF8.self)
        let again = String(decoding: try profile.render(as: format, options: options).bytes, as: UTF8.self)
        #expect(again == original)
    }

    @Test("a report of every frame renders every frame again, hidden counts and all")
    func allFrames() throws {
        let options = RenderOptions(showAllFrames: true, threshold: 0)
        let (profile, report) = try rebuilt(Fixtures.request, options: options)
        #expect(report.tree.showAllFrames)
        let original = try Fixtures.request.render(as: .text, options: RenderOptions(showAllFrames: true)).bytes
        #expect(String(decoding: try profile.render(as: .text, options: RenderOptions(reportTree: report.tree)).bytes, as: UTF8.self) == String(decoding: original, as: UTF8.self))
    }

    @Test("totals, sample count, metadata and frame details survive")
    func totals() throws {
        let (profile, _) = try rebuilt(Fixtures.request)
        #expect(profile.metadata == Fixtures.request.metadata)
        #expect(profile.sampleCount == Fixtures.request.sampleCount)
        #expect(profile.totalWallNanoseconds == Fixtures.request.totalWallNanoseconds)
        #expect(profile.totalCPUNanoseconds == Fixtures.request.totalCPUNanoseconds)
        let hot = try #require(profile.frames.first { $0.shortName == Fixtures.hotFunction })
        #expect(hot.file == "/src/Sources/DemoApp/PasswordHasher.swift")
        #expect(hot.line == 10)
        #expect(hot.kind == .application)
        let awaitWall = profile.samples.filter { $0.state == .suspended }.reduce(0) { $0 + $1.wallNanoseconds }
        #expect(awaitWall == 25_000_000)
    }

    @Test("time a threshold folded into a node stays in its totals, and shows as its self time")
    func foldedTime() throws {
        let options = RenderOptions(threshold: 0.09)
        let (profile, report) = try rebuilt(Fixtures.request, options: options)
        #expect(profile.totalWallNanoseconds == Fixtures.request.totalWallNanoseconds)
        let tree = profile.callTree()
        let show = try #require(tree.root.children.first?.children.first)
        #expect(tree.frames[show.frameIndex!].name.hasPrefix("DemoApp.UserController.show"))
        #expect(show.totalWallNanoseconds == 98_000_000)
        // Cache (5 ms) and JSON encoding (8 ms) were folded into `show` by the 9% threshold.
        #expect(show.selfWallNanoseconds == 13_000_000)
        let text = String(decoding: try profile.render(as: .text, options: RenderOptions(reportTree: report.tree)).bytes, as: UTF8.self)
        #expect(text.contains("0.098 98.0% DemoApp.UserController.show"))
        #expect(!text.contains("Cache"))
    }

    @Test("an empty profile's report rebuilds an empty profile")
    func empty() throws {
        let (profile, _) = try rebuilt(Fixtures.empty)
        #expect(profile.sampleCount == 0)
        #expect(try profile.render(as: .text).bytes == Fixtures.empty.render(as: .text).bytes)
    }
}
