@testable import ProfileReports
import ProfileModel
import Testing

@Suite("collapsed stacks")
struct CollapsedRendererTests {
    private func lines(_ profile: Profile) throws -> [Substring] {
        String(decoding: try profile.render(as: .collapsed).bytes, as: UTF8.self).split(separator: "\n")
    }

    @Test("one line per distinct stack: root first, ;-joined, a space, the sample count")
    func format() throws {
        let lines = try lines(Fixtures.request)
        #expect(lines.count == 6)
        #expect(lines[0] == "start_thread;swift::runJobInEstablishedExecutorContext(swift::Job*);RequestProfiler.PinnedExecutor.run();Hummingbird.Router.respond(to: Hummingbird.Request, context: DemoApp.AppContext);DemoApp.UserController.show(request: Hummingbird.Request, context: DemoApp.AppContext);\(Fixtures.hotFunction) 50")
        let counts = lines.map { Int($0.split(separator: " ").last!)! }
        #expect(counts.reduce(0, +) == Fixtures.request.sampleCount)
        for line in lines {
            // flamegraph.pl splits at the last space: the count is what follows it.
            let stack = line[..<line.lastIndex(of: " ")!]
            #expect(stack.split(separator: ";").count >= 5)
        }
    }

    @Test("names cannot break the format")
    func sanitizes() {
        #expect(CollapsedRenderer.foldedName("a;b\nc") == "a:b c")
        #expect(CollapsedRenderer.foldedName("plain") == "plain")
        // A name ending in a space and digits would read as a second count (a differential line).
        #expect(CollapsedRenderer.foldedName("f 12") == "f_12")
        #expect(CollapsedRenderer.foldedName("x 1.5") == "x_1.5")
        #expect(CollapsedRenderer.foldedName("a\tb") == "a b")
        #expect(CollapsedRenderer.foldedName("f12") == "f12")
        #expect(CollapsedRenderer.foldedName("closure #1 in f()") == "closure #1 in f()")
        // A `;` with a combining mark is one Character, not equal to ";": its byte got through.
        #expect(!CollapsedRenderer.foldedName("a;\u{301}b").utf8.contains(UInt8(ascii: ";")))
        #expect(CollapsedRenderer.foldedName("a\u{2028}b\u{85}c\u{0B}d") == "a b c d")
        // Escape sequences and bidi overrides would act on the terminal the stacks are printed to.
        #expect(CollapsedRenderer.foldedName("f\u{1B}[2J\u{9B}0m\u{202E}nimda") == "f\u{FFFD}[2J\u{FFFD}0m\u{FFFD}nimda")
    }

    /// Percentages of sums too large for `part * 1000` (many reports' CPU time, a crafted
    /// report) are written, not trapped on.
    @Test func percentagesOfHugeTimesDoNotTrap() {
        #expect(TimeText.percent(1 << 55, of: 1 << 56) == "50.0%")
        #expect(TimeText.percent(3, of: 4) == "75.0%")
        #expect(TimeText.percent(UInt64.max, of: 1).hasSuffix("%"))
    }

    @Test("a large profile folds to its distinct stacks")
    func large() throws {
        let profile = Profile.synthetic(samples: 10_000, depth: 50)
        let lines = try lines(profile)
        #expect(lines.map { Int($0.split(separator: " ").last!)! }.reduce(0, +) == 10_000)
        #expect(Set(lines.map { $0[..<$0.lastIndex(of: " ")!] }).count == lines.count)
    }
}
