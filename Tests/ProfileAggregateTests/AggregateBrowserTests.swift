import Foundation
import ProfileAggregate
import ProfileReports
import ReportTestSupport
import Testing

/// The aggregate and diff html pages opened in headless Chromium: the script must run without
/// errors, and the diff's flame graph must color the slower function red.
@Suite("Aggregate and diff pages in Chromium", .serialized)
struct AggregateBrowserTests {
    private func open(_ report: RenderedReport) throws -> Chromium.Page {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write(report.bytes, to: "report.html")
        return try Chromium().load(file.absoluteString, in: directory)
    }

    @Test("the aggregate page renders its table and tree without script errors")
    func aggregatePage() throws {
        let page = try open(try AggregateProfile(profiles: RequestFixtures.five).render(as: .html))
        #expect(page.consoleMessages.isEmpty, "console: \(page.consoleMessages)")
        #expect(page.dom.contains(#"data-state="ready""#))
        #expect(page.dom.contains("Aggregate of 5 requests"))
        #expect(page.dom.contains(#"<span class="name kind-application">\#(RequestFixtures.price)</span>"#))
    }

    @Test("the diff page colors the function that doubled red and unchanged ones grey")
    func diffPage() throws {
        let page = try open(try AggregateGoldenTests.diff.render(as: .html))
        #expect(page.consoleMessages.isEmpty, "console: \(page.consoleMessages)")
        #expect(page.dom.contains(#"data-state="ready""#))
        let price = try #require(background(of: RequestFixtures.price, in: page.dom), "no flame box for the changed function")
        #expect(price.red > price.green + 60, "slower frame colored \(price)")
        let handle = try #require(background(of: RequestFixtures.handle, in: page.dom))
        #expect(abs(handle.red - handle.green) < 20, "noise frame colored \(handle)")
    }

    /// The background color of the flame box whose text is `name`.
    private func background(of name: String, in dom: String) -> (red: Int, green: Int, blue: Int)? {
        let pattern = #"<div class="flame-frame[^"]*"[^>]*?background: rgb\((\d+), (\d+), (\d+)\)[^>]*>"# + NSRegularExpression.escapedPattern(for: name) + "<"
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: dom, range: NSRange(dom.startIndex..., in: dom))
        else { return nil }
        let values = (1...3).compactMap { Range(match.range(at: $0), in: dom).flatMap { Int(dom[$0]) } }
        return values.count == 3 ? (values[0], values[1], values[2]) : nil
    }
}
