import Foundation
import ProfileModel
import ProfileReports
import ReportTestSupport
import Testing

/// The deepest stack the sampler can give: 256 walked frames, up to 255 async callers, and the
/// functions inlined at each address on top. 3,000 distinct application frames in one sample,
/// every one of them at 100% (no threshold prunes it), is deeper still: every format renders
/// it without exhausting a thread's stack or growing past reason (the html page's tree
/// encoding exhausted it: the process crashed), and the html page's script, which walks the
/// tree recursively, finishes without an error.
@Suite("a 3,000-frame stack", .serialized)
struct DeepStackTests {
    static let depth = 3_000

    static var profile: Profile {
        let frames = (0..<depth).map { Frame(name: "App.level\($0)() -> ()", image: "App", file: "/src/Sources/App/Deep.swift", line: $0 + 1, kind: .application) }
        let sample = Sample(stack: Array(0..<depth), timeNanoseconds: 0, wallNanoseconds: 1_000_000, cpuNanoseconds: 1_000_000, state: .running)
        return Profile(frames: frames, samples: [sample], metadata: ProfileMetadata(durationNanoseconds: 1_000_000, cpuNanoseconds: 1_000_000))
    }

    @Test("renders in every format", arguments: ProfileFormat.allCases)
    func renders(format: ProfileFormat) throws {
        let bytes = try Self.profile.render(as: format).bytes
        #expect(bytes.count > 1_000)
        #expect(bytes.count < 64 << 20, "\(format): \(bytes.count) bytes for one sample")
    }

    @Test("the html page's script finishes, and the page says where its tree stops")
    func htmlInChromium() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write(try Self.profile.render(as: .html).bytes, to: "deep.html")
        let page = try Chromium().load(file.absoluteString, in: directory)
        #expect(page.consoleMessages.isEmpty, "console: \(page.consoleMessages)")
        #expect(page.dom.contains(#"data-state="ready""#), "the page's script did not finish")
        // The page's tree stops at its deepest level, and says so.
        #expect(page.dom.contains(">App.level999()<"))
        #expect(!page.dom.contains(">App.level1000()<"))
        #expect(page.dom.contains("Calls deeper than 1000 frames are not in this page's tree"))
    }
}
