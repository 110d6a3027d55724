import Foundation
import ProfileModel
import ProfileReports
import ReportTestSupport
import Testing

/// The html report opened in a real browser (headless Chromium, from Debian's `chromium`
/// package): its script must run without errors and build the tree and flame graph.
@Suite("html report in Chromium", .serialized)
struct HTMLBrowserTests {
    let directory: TemporaryDirectory
    let chromium: Chromium

    init() throws {
        directory = try TemporaryDirectory()
        chromium = try Chromium()
    }

    private func open(_ profile: Profile, fragment: String = "") throws -> Chromium.Page {
        let file = try directory.write(try profile.render(as: .html).bytes, to: "report.html")
        defer { directory.remove() }
        return try chromium.load(file.absoluteString + fragment, in: directory)
    }

    @Test("renders without script errors and shows the hot frame in the tree and the flame graph")
    func rendersTree() throws {
        let page = try open(Fixtures.request)
        #expect(page.consoleMessages.isEmpty, "console: \(page.consoleMessages)")
        #expect(page.dom.contains(#"data-state="ready""#), "the page's script did not finish")
        #expect(page.dom.contains(#"<pre id="errors" hidden=""></pre>"#))
        // Rows and flame boxes exist only if the script built them from the embedded data.
        #expect(page.dom.contains(#"<span class="name kind-application">\#(Fixtures.hotFunction)</span>"#))
        let flameBoxes = page.dom.components(separatedBy: #"class="flame-frame"#).count - 1
        #expect(flameBoxes >= 9, "expected a flame box per node, found \(flameBoxes)")
        #expect(page.dom.contains(#"<span class="num total">60.0 ms</span>"#))
        #expect(page.dom.contains("[3 frames hidden]"))
    }

    @Test("a search given in the URL marks the matching frame and hides unrelated branches")
    func search() throws {
        let page = try open(Fixtures.request, fragment: "#search=fetchUser")
        #expect(page.consoleMessages.isEmpty, "console: \(page.consoleMessages)")
        #expect(page.dom.contains(#"<span id="search-count" class="hint">1 match</span>"#))
        #expect(page.dom.components(separatedBy: #"class="row match""#).count - 1 == 1)
        #expect(page.dom.contains(#"class="node filtered""#))
    }

    /// `decodeURIComponent` throws on a bare `%`: the page ended in "Script error".
    @Test("a search in the URL that is not valid percent-encoding is taken as typed")
    func malformedSearch() throws {
        let page = try open(Fixtures.request, fragment: "#search=100%")
        #expect(page.consoleMessages.isEmpty, "console: \(page.consoleMessages)")
        #expect(page.dom.contains(#"data-state="ready""#))
        #expect(page.dom.contains(#"<span id="search-count" class="hint">0 matches</span>"#), "the search was not applied")
    }

    @Test("a large synthetic profile renders without errors")
    func largeProfile() throws {
        let page = try open(Profile.synthetic(samples: 10_000, depth: 50))
        #expect(page.consoleMessages.isEmpty, "console: \(page.consoleMessages)")
        #expect(page.dom.contains(#"data-state="ready""#))
    }

    /// 100 callers of 300 functions each: 30,000 rows under collapsed parents. Made up front,
    /// they froze the page; now a row is made when its parent first opens, and a search opens
    /// (and makes) the rows down to its match.
    @Test("rows under collapsed parents are made when opened; a search opens its match's callers")
    func largeTreeRendersLazily() throws {
        var frames = [Frame(name: "App.handle() -> ()", image: "App", kind: .application)]
        var samples: [Sample] = []
        for caller in 0..<100 {
            frames.append(Frame(name: "App.caller\(caller)() -> ()", image: "App", kind: .application))
            let callerIndex = frames.count - 1
            for leaf in 0..<300 {
                frames.append(Frame(name: "App.leaf\(caller)x\(leaf)() -> ()", image: "App", kind: .application))
                samples.append(Sample(stack: [0, callerIndex, frames.count - 1], timeNanoseconds: UInt64(samples.count) * 1_000_000, wallNanoseconds: 1_000_000, cpuNanoseconds: 1_000_000, state: .running))
            }
        }
        let profile = Profile(frames: frames, samples: samples, metadata: ProfileMetadata(durationNanoseconds: UInt64(samples.count) * 1_000_000, cpuNanoseconds: UInt64(samples.count) * 1_000_000))
        let file = try directory.write(try profile.render(as: .html, options: RenderOptions(threshold: 0)).bytes, to: "large.html")
        defer { directory.remove() }

        let page = try chromium.load(file.absoluteString, in: directory)
        #expect(page.consoleMessages.isEmpty, "console: \(page.consoleMessages)")
        #expect(page.dom.contains(#"data-state="ready""#))
        let rows = page.dom.components(separatedBy: #"role="treeitem""#).count - 1
        #expect((100...200).contains(rows), "rows made at load: \(rows)")

        let searched = try chromium.load(file.absoluteString + "#search=leaf57x123(", in: directory)
        #expect(searched.consoleMessages.isEmpty, "console: \(searched.consoleMessages)")
        #expect(searched.dom.contains(#"<span id="search-count" class="hint">1 match</span>"#))
        #expect(searched.dom.components(separatedBy: #"class="row match""#).count - 1 == 1)
        #expect(searched.dom.contains(">App.leaf57x123()<"), "the match's row was made")
        let searchedRows = searched.dom.components(separatedBy: #"role="treeitem""#).count - 1
        #expect(searchedRows < 1_000, "rows made: \(searchedRows)")
    }

    /// 14 px a level pushed a 120-deep frame's name 1,680 px right, out of its column.
    @Test("a deep frame's indentation is bounded, so its name stays in view")
    func deepRowsKeepTheirNames() throws {
        let frames = (0..<120).map { Frame(name: "App.level\($0)() -> ()", image: "App", kind: .application) }
        let sample = Sample(stack: Array(0..<120), timeNanoseconds: 0, wallNanoseconds: 1_000_000, cpuNanoseconds: 1_000_000, state: .running)
        let profile = Profile(frames: frames, samples: [sample], metadata: ProfileMetadata(durationNanoseconds: 1_000_000, cpuNanoseconds: 1_000_000))
        let page = try open(profile)
        #expect(page.consoleMessages.isEmpty, "console: \(page.consoleMessages)")
        #expect(page.dom.contains(">App.level119()<"))
        // Depth 120: 30 levels of 14 px, 90 of 3 px, and never past 40% of the row.
        #expect(page.dom.contains("padding-left: min(690px, 40%)"), "deepest indentation not bounded")
    }

    @Test("a script error is caught: the check above would see a broken page")
    func detectsErrors() throws {
        let file = try directory.write(Array("<html><body><script>undefinedFunction()</script></body></html>".utf8), to: "broken.html")
        defer { directory.remove() }
        let page = try chromium.load(file.absoluteString, in: directory)
        #expect(page.consoleMessages.contains { $0.contains("Uncaught ReferenceError") })
    }

    /// Chromium exits cleanly and writes a real image of the page, at the window's size, into
    /// the test's own temporary directory (removed afterwards).
    @Test("takes a screenshot of the page")
    func screenshot() throws {
        defer { directory.remove() }
        let file = try directory.write(try Fixtures.request.render(as: .html).bytes, to: "report.html")
        let output = directory.url.appendingPathComponent("profile-report.png")
        let result = try chromium.screenshot(file.absoluteString, to: output, size: (1280, 1000), in: directory)
        #expect(result.status == 0, "chromium exited with \(result.status): \(result.standardError.suffix(2_000))")
        let png = [UInt8](try Data(contentsOf: output))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG")
        // The IHDR chunk comes first: its width and height, big-endian, at bytes 16 and 20.
        func bigEndian(at offset: Int) -> Int { png.count >= offset + 4 ? png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } : -1 }
        #expect(png.count >= 24 && Array(png[12..<16]) == Array("IHDR".utf8), "no IHDR chunk first")
        // Some headless modes take the browser's own bars off the window's height.
        #expect(bigEndian(at: 16) == 1280 && (900...1000).contains(bigEndian(at: 20)), "image of \(bigEndian(at: 16))x\(bigEndian(at: 20)), not the 1280x1000 window")
        #expect(png.count > 20_000, "screenshot is suspiciously small (\(png.count) bytes): blank page?")
    }
}
