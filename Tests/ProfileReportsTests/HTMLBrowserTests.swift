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

    @Test("a script error is caught: the check above would see a broken page")
    func detectsErrors() throws {
        let file = try directory.write(Array("<html><body><script>undefinedFunction()</script></body></html>".utf8), to: "broken.html")
        defer { directory.remove() }
        let page = try chromium.load(file.absoluteString, in: directory)
        #expect(page.consoleMessages.contains { $0.contains("Uncaught ReferenceError") })
    }

    /// Leaves `profile-report.png` in the temporary directory for a person to look at; the
    /// test checks that Chromium produced a real image.
    @Test("takes a screenshot of the page")
    func screenshot() throws {
        let file = try directory.write(try Fixtures.request.render(as: .html).bytes, to: "report.html")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("profile-report.png")
        try? FileManager.default.removeItem(at: output)
        defer { directory.remove() }
        try chromium.screenshot(file.absoluteString, to: output, size: (1280, 1000), in: directory)
        let png = try Data(contentsOf: output)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "not a PNG")
        #expect(png.count > 20_000, "screenshot is suspiciously small (\(png.count) bytes): blank page?")
    }
}
