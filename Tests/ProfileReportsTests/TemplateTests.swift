@testable import ProfileReports
import Foundation
import ProfileModel
import ReportTemplates
import ReportTestSupport
import Testing

@Suite("Templates")
struct TemplateTests {
    @Test("the built-in templates are compiled into the binary and all parse")
    func builtIn() throws {
        #expect(Set(ReportTemplates.all.keys) == ["html/page", "html/header", "html/style", "html/script", "text/report", "text/summary"])
        #expect(ReportTemplates.all.values.allSatisfy { !$0.isEmpty })
        _ = try TemplateLibrary.builtIn.get()
    }

    @Test("the embedded templates are the files in Templates/")
    func embeddedMatchSources() throws {
        let templates = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Templates")
        for (name, text) in ReportTemplates.all {
            let file = try String(contentsOf: templates.appendingPathComponent(name + ".mustache"), encoding: .utf8)
            #expect(file == text, "embedded \(name) differs from Templates/\(name).mustache")
        }
    }

    @Test("a user directory overrides a built-in template by name and keeps the others")
    func override() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write(Array("{{% CONTENT_TYPE: TEXT}}\n{{#summary}}Custom header for {{title}}{{/summary}}\n".utf8), to: "text/summary.mustache")
        _ = try directory.write(Array("<p>{{summary.title}}</p>{{> extra/footer}}".utf8), to: "html/page.mustache")
        _ = try directory.write(Array("<footer>ours</footer>".utf8), to: "extra/footer.mustache")
        let options = RenderOptions(templateDirectory: directory.url.path)

        let text = String(decoding: try Fixtures.request.render(as: .text, options: options).bytes, as: UTF8.self)
        #expect(text.hasPrefix("Custom header for GET /users/:id\n"))
        #expect(text.contains(Fixtures.hotFunction))  // text/report itself is still the built-in one

        let html = String(decoding: try Fixtures.request.render(as: .html, options: options).bytes, as: UTF8.self)
        #expect(html == "<p>GET /users/:id</p><footer>ours</footer>")
    }

    @Test("a user's html template escapes as the built-in ones do, joined marks included")
    func overrideEscapes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write(Array("<p>{{summary.path}}</p>".utf8), to: "html/page.mustache")
        var profile = Fixtures.request
        profile.metadata.request = RequestInfo(method: "GET", path: "/\u{600}<i>", route: nil, status: 200)
        let html = String(
            decoding: try profile.render(as: .html, options: RenderOptions(templateDirectory: directory.url.path)).bytes,
            as: UTF8.self)
        #expect(html == "<p>/\u{600}&lt;i&gt;</p>")
    }

    @Test("the html escaping replaces the five characters scalar by scalar and leaves the rest")
    func scalarEscaping() {
        let escaping = ScalarHTMLEscaping()
        #expect(escaping.escapeText(#"<a href="x">Tom & 'Jerry'</a>"#) == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
        #expect(escaping.escapeText("\u{600}<\"\u{301}é\u{1F600}") == "\u{600}&lt;&quot;\u{301}é\u{1F600}")
        #expect(escaping.escapeText("plain ünïcode") == "plain ünïcode")
    }

    @Test("a missing template directory is an error, not a silent fallback")
    func missingDirectory() {
        #expect(throws: TemplateError.directoryNotFound("/nonexistent/templates")) {
            try Fixtures.request.render(as: .html, options: RenderOptions(templateDirectory: "/nonexistent/templates"))
        }
    }

    @Test("a user template that does not parse is reported by name")
    func invalidTemplate() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write(Array("{{#rows}} never closed".utf8), to: "text/report.mustache")
        #expect {
            try Fixtures.request.render(as: .text, options: RenderOptions(templateDirectory: directory.url.path))
        } throws: { error in
            guard case TemplateError.invalidTemplate(let name, _) = error else { return false }
            return name == "text/report"
        }
    }
}
