import Foundation
import ProfileModel
import ProfileReports
import ReportTestSupport
import Testing

/// A right-to-left override (U+202E) in a route or a frame's name, from a raw path Hummingbird
/// passes with bytes from 0x80 up or from a saved report, is shown (escaping keeps it), but must
/// not reorder the text beside it: unisolated, the status badge after the route read "002" for
/// 200, and a name's file:line read backwards. The page is opened in Chromium with a script
/// added after the report's own, which writes what the browser computed into the DOM.
@Test func namesAndRoutesAreIsolatedFromTheTextBesideThem() throws {
    var profile = Fixtures.request
    profile.metadata.request = RequestInfo(method: "GET", path: "/x\u{202E}", route: "/x\u{202E}", status: 200)
    profile.frames[5] = Frame(name: "App.\u{202E}nimda", image: "App", file: "/src/Sources/App/A.swift", line: 12, kind: .application)
    let html = String(decoding: try profile.render(as: .html).bytes, as: UTF8.self)
    let probe = """
        <script>
        var probed = ["h1 .route", "h1 .method", ".row .name", ".row .loc"].map(function (selector) {
          var element = document.querySelector(selector);
          return selector + "=" + (element ? getComputedStyle(element).unicodeBidi : "missing");
        });
        document.body.setAttribute("data-bidi", probed.join(";"));
        </script>
        """
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let page = try directory.write(Array(html.replacingOccurrences(of: "</body>", with: probe + "</body>").utf8), to: "bidi.html")
    let loaded = try Chromium().load(page.absoluteString, in: directory)
    #expect(loaded.consoleMessages.isEmpty, "console: \(loaded.consoleMessages)")
    let computed = try #require(loaded.dom.firstMatch(of: /data-bidi="([^"]*)"/)?.1)
    for part in computed.split(separator: ";") {
        #expect(part.hasSuffix("=isolate"), "\(part)")
    }
    #expect(computed.split(separator: ";").count == 4)
}
