import Foundation
import ProfileModel
import ProfileReports
import Testing

@Suite("text report")
struct TextRendererTests {
    private func text(_ options: RenderOptions = RenderOptions(), profile: Profile = Fixtures.request) throws -> String {
        String(decoding: try profile.render(as: .text, options: options).bytes, as: UTF8.self)
    }

    private func line(containing needle: String, in report: String) throws -> String {
        try #require(report.split(separator: "\n").first { $0.contains(needle) }.map(String.init), "no line with \(needle) in:\n\(report)")
    }

    @Test("a header with route, status, duration, samples, interval and sampler health")
    func header() throws {
        let lines = try text().split(separator: "\n").map(String.init)
        #expect(lines[0] == "GET /users/:id -> 200  (/users/42)")
        #expect(lines[2] == "Duration 101.5 ms  CPU 73.0 ms (71.9%)  Samples 100  Interval 1.0 ms")
        #expect(lines[3].hasPrefix("Sampler: 2 missed, 0 dropped"))
    }

    @Test("each frame shows total, share, self, CPU and wait time, with its location")
    func frameTimes() throws {
        let hot = try line(containing: Fixtures.hotFunction, in: try text())
        #expect(hot.hasSuffix("├─ 0.060 60.0% \(Fixtures.hotFunction)  Sources/DemoApp/PasswordHasher.swift:10  self 0.050 cpu 0.060 wait 0.000"))
        let database = try line(containing: "fetchUser", in: try text())
        #expect(database.contains("0.025 25.0%") && database.contains("cpu 0.000 wait 0.025"))
    }

    @Test("percent mode prints every time as a share of the request")
    func percentMode() throws {
        let hot = try line(containing: Fixtures.hotFunction, in: try text(RenderOptions(timeDisplay: .percent)))
        #expect(hot.contains("60.0% \(Fixtures.hotFunction)") && hot.contains("self 50.0% cpu 60.0% wait 0.0%"))
    }

    @Test("library and runtime frames collapse into [N frames hidden]; showAllFrames expands them")
    func hiddenFrames() throws {
        let collapsed = try text()
        #expect(try line(containing: "start_thread", in: collapsed).contains("[3 frames hidden]"))
        #expect(!collapsed.contains("Hummingbird.Router.respond"))
        #expect(!collapsed.contains("PinnedExecutor"))
        let everything = try text(RenderOptions(showAllFrames: true))
        #expect(everything.contains("Hummingbird.Router.respond"))
        #expect(everything.contains("swift::runJobInEstablishedExecutorContext"))
        #expect(!everything.contains("frames hidden]"))
    }

    @Test("hide and show patterns override the frame kinds")
    func patterns() throws {
        // A hidden frame joins the run of hidden frames above it (the run's first frame stays as its entry).
        let hidden = try text(RenderOptions(hidePatterns: ["UserController"]))
        #expect(!hidden.contains("UserController"))
        #expect(try line(containing: Fixtures.hotFunction, in: hidden).hasPrefix("├─ 0.060"))  // now a child of start_thread
        let shown = try text(RenderOptions(showPatterns: ["^Hummingbird\\."]))
        #expect(shown.contains("Hummingbird.Router.respond"))
    }

    @Test("frames under the threshold are folded into their callers")
    func threshold() throws {
        #expect(try text().contains("DemoApp.Cache"))  // 5% of the request, above the default 1%
        let folded = try text(RenderOptions(threshold: 0.06))
        #expect(!folded.contains("DemoApp.Cache"))
        #expect(folded.contains("Frames under 6.0% of the request are folded"))
        // Its time stays in the caller's total.
        #expect(try line(containing: "UserController.show", in: folded).contains("0.098 98.0%"))
    }

    @Test("ANSI colour only when asked for")
    func color() throws {
        #expect(!(try text()).contains("\u{1B}["))
        let colored = try text(RenderOptions(ansiColor: true))
        #expect(colored.contains("\u{1B}[33m0.060\u{1B}[0m"))  // 60%: yellow
        #expect(colored.contains("\u{1B}[31m0.100\u{1B}[0m"))  // above 60%: red
        #expect(colored.contains("\u{1B}[1m\(Fixtures.hotFunction)\u{1B}[0m"))  // the user's own code: bold
    }

    @Test("an empty profile says so")
    func empty() throws {
        let report = try text(profile: Fixtures.empty)
        #expect(report.contains("No samples were recorded."))
        #expect(report.contains("Note: No samples: the work finished before the first tick."))
    }

    /// Times near UInt64.max (a profile built in code, a clock difference that wrapped) and a
    /// threshold of infinity must give a report, not a trap.
    @Test func extremeTimesAndThresholdsStillRender() throws {
        var profile = Fixtures.request
        profile.metadata.cpuNanoseconds = .max
        profile.metadata.durationNanoseconds = .max - 1
        let report = try text(profile: profile)
        #expect(report.contains("CPU 18446744073.710 s"), "\(report.prefix(400))")
        for threshold in [Double.infinity, .nan, 1e30, -1] {
            #expect(try !Fixtures.request.render(as: .html, options: RenderOptions(threshold: threshold)).bytes.isEmpty)
            #expect(try !text(RenderOptions(threshold: threshold)).isEmpty)
            // JSON has no infinity or NaN: the json report stores a threshold it can load again.
            let json = try Fixtures.request.render(as: .json, options: RenderOptions(threshold: threshold))
            let stored = try JSONDecoder().decode(JSONReport.self, from: Data(json.bytes))
            #expect(stored.problem == nil)
        }
        var undated = Fixtures.request
        undated.metadata.startTime = .nan
        #expect(try !undated.render(as: .json).bytes.isEmpty)
    }

    /// 200 samples, each in a function of its own: every one is 0.5% of the request, under the
    /// default 1%, so no row is drawn; the report has samples all the same.
    @Test func aProfileWhoseFramesAreAllUnderTheThresholdDoesNotClaimToBeEmpty() throws {
        let frames = (0..<200).map { Frame(name: "App.step\($0)()", image: "App", kind: .application) }
        let samples = (0..<200).map {
            Sample(stack: [$0], timeNanoseconds: UInt64($0) * 1_000_000, wallNanoseconds: 1_000_000, cpuNanoseconds: 1_000_000, state: .running)
        }
        var metadata = Fixtures.request.metadata
        metadata.notes = []
        let report = try text(profile: Profile(frames: frames, samples: samples, metadata: metadata))
        #expect(!report.contains("No samples were recorded."))
        #expect(report.contains("Every top-level frame took under 1.0% of the request: none is shown here."))
        #expect(try text(RenderOptions(threshold: 0.001), profile: Profile(frames: frames, samples: samples, metadata: metadata)).contains("App.step199()"))
    }

    /// A saved report can hold anything: an escape sequence in a frame name, a path or a note
    /// would act on the terminal of whoever prints the text report, and a line break would
    /// forge report lines. Colour off: not one control character in the output but its line breaks.
    @Test func controlCharactersFromAProfileNeverReachTheTerminal() throws {
        var profile = Fixtures.request
        profile.frames[6] = Frame(
            name: "App.x\u{1B}]0;pwned\u{07}\nforged line\u{9B}2J", image: "App", file: "/src/Sources/App/E\u{1B}[2J.swift", line: 1, kind: .application)
        profile.metadata.request = RequestInfo(method: "GET\u{1B}[31m", path: "/a\u{1B}[2J", route: "/r\r\n", status: 200)
        profile.metadata.notes = ["a note\nforged: line", "zero\u{200B}width, \u{2066}isolated\u{2069}, \u{FEFF}marked"]
        profile.frames[5] = Frame(name: "App.\u{202E}nimda\u{061C}", image: "App", file: nil, line: nil, kind: .application)
        let report = try text(profile: profile)
        let invisible = report.unicodeScalars.filter { (0x200B...0x200F).contains($0.value) || (0x2028...0x202E).contains($0.value) || (0x2060...0x2069).contains($0.value) || $0.value == 0xFEFF || $0.value == 0x061C }
        #expect(invisible.isEmpty, "bidi or invisible characters: \(invisible.map { String($0.value, radix: 16) })")
        let controls = report.unicodeScalars.filter { $0.value != 0x0A && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) }
        #expect(controls.isEmpty, "control characters: \(controls.map { String($0.value, radix: 16) })")
        #expect(!report.split(separator: "\n").contains { $0.hasPrefix("forged") })
        #expect(report.contains("App.x\u{FFFD}]0;pwned\u{FFFD}\u{FFFD}forged line\u{FFFD}2J"))
        // Its own colours still come through when asked for.
        let colored = try text(RenderOptions(ansiColor: true), profile: profile)
        #expect(colored.contains("\u{1B}[1mApp.x\u{FFFD}]0;pwned"))
    }
}
