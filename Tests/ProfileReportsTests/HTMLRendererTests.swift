import Foundation
import ProfileModel
import ProfileReports
import Testing

@Suite("html report")
struct HTMLRendererTests {
    private func page(_ profile: Profile = Fixtures.request, options: RenderOptions = RenderOptions()) throws -> String {
        String(decoding: try profile.render(as: .html, options: options).bytes, as: UTF8.self)
    }

    @Test("is one self-contained file: no external scripts, styles, images or URLs")
    func selfContained() throws {
        let html = try page()
        #expect(html.hasPrefix("<!doctype html>"))
        for forbidden in ["<script src", "<link", "<img", "@import", "url(", "http://", "https://", "//cdn"] {
            #expect(!html.contains(forbidden), "page refers to something outside itself: \(forbidden)")
        }
        #expect(html.contains("<style>") && html.contains("<script>"))
    }

    @Test("the header shows the request, duration, samples, interval and sampler health")
    func header() throws {
        let html = try page()
        #expect(html.contains(#"<span class="method">GET</span>"#))
        #expect(html.contains(#"<span class="route">/users/:id</span>"#))
        #expect(html.contains(#"<span class="status">200</span>"#))
        #expect(html.contains(#"<dd id="duration">101.5 ms</dd>"#))
        #expect(html.contains(#"<dd id="samples">100</dd>"#))
        #expect(html.contains("<dd>1.0 ms</dd>"))
        #expect(html.contains(#"<div class="unhealthy"><dt>Sampler</dt><dd id="health">2 missed, 0 dropped</dd>"#))
    }

    /// Without a route (a 404, a scanner's probe) the heading read "GET GET /missing" and the
    /// path came a third time below it; the text header repeated it in parentheses.
    @Test("an unmatched request's header names its path once, in html and text")
    func unmatchedRequestHeader() throws {
        var profile = Fixtures.request
        profile.metadata.request = RequestInfo(method: "GET", path: "/missing", route: nil, status: 404)
        let html = try page(profile)
        #expect(html.contains(#"<span class="method">GET</span> <span class="route">/missing</span>"#))
        #expect(!html.contains(#"class="path""#))
        let text = String(decoding: try profile.render(as: .text).bytes, as: UTF8.self)
        #expect(text.contains("GET /missing -> 404"))
        #expect(!text.contains("(/missing)"))
        // With a route, the path still shows beside it.
        profile.metadata.request = RequestInfo(method: "GET", path: "/users/42", route: "/users/:id", status: 200)
        #expect(try page(profile).contains(#"<p class="path">/users/42</p>"#))
    }

    @Test("frame names cannot break out of the page: < is escaped in the embedded data")
    func escaping() throws {
        let html = try page()
        #expect(!html.contains("Cache<Swift.String>"))
        #expect(html.contains(#"DemoApp.Cache\u003cSwift.String>.lookup"#))
        let hostile = Profile(
            frames: [Frame(name: "</script><script>alert(1)</script>", image: "x", kind: .application)],
            samples: [Sample(stack: [0], timeNanoseconds: 0, wallNanoseconds: 1_000_000, cpuNanoseconds: 0, state: .running)],
            metadata: ProfileMetadata(request: RequestInfo(method: "GET", path: "/<b>", route: nil, status: 200))
        )
        let hostilePage = try page(hostile)
        #expect(!hostilePage.contains("alert(1)</script>"))
        #expect(hostilePage.contains("/&lt;b&gt;"))
    }

    /// swift-mustache's own escaping goes by grapheme cluster: a `<` joined to U+0600 before
    /// it (or a `"` to a combining mark after it) was one unknown Character, written raw.
    @Test("a < or \" joined to a neighbouring mark is escaped too")
    func joinedMarks() throws {
        var profile = Fixtures.request
        profile.metadata.request = RequestInfo(
            method: "GET", path: "/\u{600}<svg onload=alert(1)\u{600}>\"\u{301}", route: nil, status: 200)
        let html = try page(profile)
        #expect(!html.contains("<svg"))
        #expect(html.contains("/\u{600}&lt;svg onload=alert(1)\u{600}&gt;&quot;\u{301}"))
    }

    @Test("a 10,000-sample, 50-deep profile gives a page under 1 MB")
    func sizeLimit() throws {
        let profile = Profile.synthetic(samples: 10_000, depth: 50)
        #expect(profile.sampleCount == 10_000)
        #expect(profile.samples.map(\.stack.count).max() == 50)
        let bytes = try profile.render(as: .html).bytes.count
        #expect(bytes < 1_000_000, "html report is \(bytes) bytes")
        let everything = try profile.render(as: .html, options: RenderOptions(showAllFrames: true)).bytes.count
        #expect(everything < 1_000_000, "html report with all frames is \(everything) bytes")
    }
}
