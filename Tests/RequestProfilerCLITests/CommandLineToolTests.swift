import ArgumentParser
import Foundation
import ProfileAggregate
import ProfileModel
@testable import ProfileReports
import ReportTestSupport
import Testing
@testable import RequestProfilerCLI

/// The `request-profiler` commands, run in-process on saved reports of real profiled work:
/// three "requests" of 30 ms before, three of 90 ms after (a wide margin: other
/// processes on a loaded machine stretch single requests).
@Suite("request-profiler command-line tool", .serialized)
struct CommandLineToolTests {
    /// Writes the reports once per test; the sampler takes ~300 ms for all six.
    private func withReports(_ body: (_ before: URL, _ after: URL, _ directory: TemporaryDirectory) throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let before = directory.url.appendingPathComponent("before"), after = directory.url.appendingPathComponent("after")
        try await SavedReports.write(count: 3, milliseconds: 30, into: before)
        try await SavedReports.write(count: 3, milliseconds: 90, into: after, startIndex: 3)
        try body(before, after, directory)
    }

    /// The `request-profiler` executable built beside the tests.
    private static func builtTool() throws -> URL {
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let tool = binaries.appendingPathComponent("request-profiler")
        try #require(FileManager.default.isExecutableFile(atPath: tool.path), "build request-profiler: \(tool.path)")
        return tool
    }

    private func run(_ arguments: [String]) throws {
        var command = try RequestProfilerCommand.parseAsRoot(arguments)
        try command.run()
    }

    private func report(at url: URL) throws -> JSONReport {
        try JSONDecoder().decode(JSONReport.self, from: Data(contentsOf: url))
    }

    @Test("merge: a folder of reports becomes one aggregate, in every format")
    func merge() async throws {
        try await withReports { before, _, directory in
            var outputs: [ProfileFormat: [UInt8]] = [:]
            for format in ProfileFormat.allCases {
                let output = directory.url.appendingPathComponent("merged.\(format.fileExtension)")
                try run(["merge", before.path, "--format", format.rawValue, "--output", output.path])
                outputs[format] = [UInt8](try Data(contentsOf: output))
            }
            // Each format read as its consumer reads it, each showing the hot function.
            try Self.expectMergedHTML(try #require(outputs[.html]))
            try Self.expectMergedSpeedscope(try #require(outputs[.speedscope]))
            Self.expectMergedCollapsed(try #require(outputs[.collapsed]))
            try Self.expectMergedPprof(try #require(outputs[.pprof]))
            let merged = try report(at: directory.url.appendingPathComponent("merged.json"))
            let aggregate = try #require(merged.aggregate)
            #expect(aggregate.requests.requestCount == 3)
            let hot = try #require(aggregate.frames.first { $0.name.contains(SavedReports.hotName) })
            #expect(hot.requestCount == 3)
            #expect(hot.medianNanoseconds > 10_000_000 && hot.p95Nanoseconds >= hot.medianNanoseconds)
            let text = try String(contentsOf: directory.url.appendingPathComponent("merged.txt"), encoding: .utf8)
            #expect(text.contains("Aggregate of 3 requests"))
            // A saved aggregate renders again with its table.
            let again = directory.url.appendingPathComponent("again.txt")
            try run(["render", directory.url.appendingPathComponent("merged.json").path, "--output", again.path])
            #expect(try String(contentsOf: again, encoding: .utf8).contains("Aggregate of 3 requests"))
        }
    }

    /// The html page: its embedded data (the call tree its script draws) parses and names the
    /// hot function, and the page shows the aggregate's table.
    private static func expectMergedHTML(_ bytes: [UInt8]) throws {
        let html = String(decoding: bytes, as: UTF8.self)
        #expect(html.hasPrefix("<!doctype html>"), "not an html page: \(html.prefix(80))")
        #expect(html.contains("Aggregate of 3 requests"))
        let opening = #"<script type="application/json" id="profile-data">"#
        let start = try #require(html.range(of: opening), "no embedded data").upperBound
        let end = try #require(html.range(of: "</script>", range: start..<html.endIndex)).lowerBound
        let data = try #require(try JSONSerialization.jsonObject(with: Data(html[start..<end].utf8)) as? [String: Any])
        let frames = try #require(data["frames"] as? [[Any]], "embedded data without frames: \(data.keys.sorted())")
        #expect(frames.contains { ($0.first as? String)?.contains(SavedReports.hotName) == true }, "\(SavedReports.hotName) is not among the embedded frames")
        #expect(data["root"] is [Any], "embedded data without a tree")
    }

    /// The speedscope file: speedscope's schema, sampled profiles with a weight per sample, and
    /// the hot function among the frames the samples name.
    private static func expectMergedSpeedscope(_ bytes: [UInt8]) throws {
        let file = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(file["$schema"] as? String == "https://www.speedscope.app/file-format-schema.json")
        let frames = try #require((file["shared"] as? [String: Any])?["frames"] as? [[String: Any]])
        let names = frames.map { $0["name"] as? String ?? "" }
        let hot = try #require(names.firstIndex { $0.contains(SavedReports.hotName) }, "no frame \(SavedReports.hotName) in \(names.prefix(20))")
        let profiles = try #require(file["profiles"] as? [[String: Any]])
        #expect(!profiles.isEmpty)
        var hotSamples = 0
        for profile in profiles {
            #expect(profile["type"] as? String == "sampled")
            let samples = try #require(profile["samples"] as? [[Int]])
            let weights = try #require(profile["weights"] as? [Double])
            #expect(!samples.isEmpty && samples.count == weights.count, "\(samples.count) samples, \(weights.count) weights")
            #expect(samples.allSatisfy { $0.allSatisfy { frames.indices.contains($0) } }, "a frame index out of range")
            hotSamples += samples.count { $0.contains(hot) }
        }
        #expect(hotSamples > 0, "no sample passes through \(SavedReports.hotName)")
    }

    /// The collapsed stacks: `root;...;leaf count` lines, the hot function a leaf of some.
    private static func expectMergedCollapsed(_ bytes: [UInt8]) {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        #expect(!lines.isEmpty)
        let malformed = lines.filter { line in
            let count = line.lastIndex(of: " ").flatMap { Int(line[line.index(after: $0)...]) }
            return (count ?? 0) <= 0
        }
        #expect(malformed.isEmpty, "\(malformed.count) of \(lines.count) lines are not `stack count`: \(malformed.prefix(3))")
        #expect(lines.contains { line in
            guard let space = line.lastIndex(of: " ") else { return false }
            return line[..<space].split(separator: ";").last?.contains(SavedReports.hotName) == true
        }, "no stack ends in \(SavedReports.hotName)")
    }

    /// The pprof file: gzip, holding a profile whose sample types are pprof's for CPU profiles
    /// of this profiler (samples/count, wall/nanoseconds, cpu/nanoseconds), with samples and
    /// the hot function in its string table.
    private static func expectMergedPprof(_ bytes: [UInt8]) throws {
        try #require(bytes.starts(with: [0x1F, 0x8B, 0x08]), "not gzip: \(bytes.prefix(16))")
        let message = ProtobufFields(try Gzip.decompress(bytes))
        let strings = message.all(6).map { String(decoding: $0.bytes ?? [], as: UTF8.self) }
        #expect(strings.first == "", "string_table[0] must be empty")
        let sampleTypes = message.all(1).map { field -> String in
            let valueType = ProtobufFields(field.bytes ?? [])
            func string(_ number: Int) -> String {
                let index = Int(valueType.all(number).first?.varint ?? 0)
                return strings.indices.contains(index) ? strings[index] : "?"
            }
            return "\(string(1))/\(string(2))"
        }
        #expect(sampleTypes == ["samples/count", "wall/nanoseconds", "cpu/nanoseconds"])
        #expect(!message.all(2).isEmpty, "no samples")
        #expect(strings.contains { $0.contains(SavedReports.hotName) }, "no function named \(SavedReports.hotName)")
    }

    @Test("diff: the function that tripled comes first and is not noise")
    func diff() async throws {
        try await withReports { before, after, directory in
            let output = directory.url.appendingPathComponent("diff.json")
            try run(["diff", "--before", before.path, "--after", after.path, "--format", "json", "--output", output.path])
            let diff = try #require(try report(at: output).diff)
            let first = try #require(diff.frames.first)
            #expect(first.name.contains(SavedReports.hotName), "first: \(first.name)")
            #expect(!first.noise)
            #expect(first.changeNanosecondsPerRequest > 30_000_000)
            #expect(diff.before.requestCount == 3 && diff.after.requestCount == 3)
            #expect(throws: (any Error).self) { try run(["diff", "--before", before.path, "--after", after.path, "--format", "pprof"]) }
        }
    }

    @Test("render and summary: one report in another format; the top frames")
    func renderAndSummary() async throws {
        try await withReports { before, _, directory in
            let file = before.appendingPathComponent("request-0.json")
            let output = directory.url.appendingPathComponent("one.txt")
            try run(["render", file.path, "--format", "text", "--output", output.path])
            let text = try String(contentsOf: output, encoding: .utf8)
            #expect(text.hasPrefix("GET /quote/:id -> 200"))
            #expect(text.contains(SavedReports.hotName))

            let summary = SummaryTable(aggregate: AggregateProfile(reports: try ReportLoader.load([before.path])), top: 5)
            #expect(summary.lines[0].hasPrefix("GET /quote/:id: 3 requests"))
            #expect(summary.lines.count <= 3 + 5 + 2)
            #expect(summary.lines[3].contains(SavedReports.hotName), "top line: \(summary.lines[3])")
        }
    }

    @Test("careful with its inputs and its output: no report overwritten, hidden files skipped, combined inputs noted, absurd options refused")
    func inputsAndOutput() async throws {
        try await withReports { before, after, directory in
            let first = before.appendingPathComponent("request-0.json")
            let original = try Data(contentsOf: first)
            do {
                try run(["merge", before.path, "--format", "json", "--output", first.path])
                Issue.record("the aggregate was written over one of its reports")
            } catch {
                #expect(RequestProfilerCommand.message(for: error).contains("is one of the reports read"))
                #expect(RequestProfilerCommand.exitCode(for: error) == .failure, "a failure, not a usage error")
            }
            #expect(try Data(contentsOf: first) == original)

            // macOS's ._ files and other hidden files are not reports; a file named twice counts once.
            try Data("\u{0}\u{5}binary".utf8).write(to: before.appendingPathComponent("._request-0.json"))
            let merged = directory.url.appendingPathComponent("merged.json")
            try run(["merge", before.path, first.path, "--format", "json", "--output", merged.path])
            #expect(try report(at: merged).aggregate?.requests.requestCount == 3)

            let reports = try ReportLoader.load([merged.path, first.path])
            #expect(CombinedReportNote.notes(for: reports) == [
                "note: \(merged.path) is an aggregate of 3 requests; it counts as one request here (combine the original reports instead)"
            ])

            // A report the filter leaves out is still one of the files read: never overwritten.
            let other = before.appendingPathComponent("other.json")
            let request = RequestInfo(method: "POST", path: "/other", route: "/other", status: 200)
            let otherBytes = try Profile(frames: [], samples: [], metadata: ProfileMetadata(startTime: 1_763_676_000, request: request))
                .render(as: .json).bytes
            try Data(otherBytes).write(to: other)
            #expect(throws: (any Error).self) { try run(["merge", before.path, "--method", "GET", "--output", other.path]) }
            #expect(try Data(contentsOf: other) == Data(otherBytes))
            // A device is written to, not replaced by a renamed file (through a link of the
            // test's own, so that a regression replaces the link, not the machine's /dev/null).
            let device = directory.url.appendingPathComponent("null").path
            try FileManager.default.createSymbolicLink(atPath: device, withDestinationPath: "/dev/null")
            try run(["merge", before.path, "--method", "GET", "--output", device])
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: device) == "/dev/null")

            for arguments in [
                ["diff", "--before", before.path, "--after", after.path, "--noise-factor", "inf"],
                ["diff", "--before", before.path, "--after", after.path, "--noise-factor", "1e15"],
                ["summary", before.path, "--top", "0"],
            ] {
                #expect(throws: (any Error).self, "\(arguments)") { try run(arguments) }
            }
        }
        // From code, any factor renders: an endless one makes every change noise.
        #expect(NoiseRule(standardErrors: .infinity).threshold(before: [1, 5], after: [9, 2], intervalNanoseconds: 1_000_000) == .max)
        #expect(NoiseRule(standardErrors: .nan).threshold(before: [1], after: [2], intervalNanoseconds: 1_000_000) == .max)
        #expect(NoiseRule(standardErrors: .infinity).description.contains("inf"))
    }

    @Test("--output leading to a report read, by a hard link, a symbolic link or another spelling, is refused")
    func outputNamingAnInputAnotherWay() async throws {
        try await withReports { before, _, directory in
            let first = before.appendingPathComponent("request-0.json")
            let original = try Data(contentsOf: first)
            let hardLink = directory.url.appendingPathComponent("hard-link.json")
            try FileManager.default.linkItem(atPath: first.path, toPath: hardLink.path)
            let symbolicLink = directory.url.appendingPathComponent("symbolic-link.json")
            try FileManager.default.createSymbolicLink(atPath: symbolicLink.path, withDestinationPath: first.path)
            for output in [hardLink.path, symbolicLink.path, before.path + "/./request-0.json"] {
                do {
                    try run(["merge", before.path, "--format", "json", "--output", output])
                    Issue.record("the aggregate was written over \(output)")
                } catch {
                    #expect(RequestProfilerCommand.message(for: error).contains("is one of the reports read"), "\(output)")
                }
            }
            #expect(try Data(contentsOf: first) == original)
            // Renamed over, the hard link would hold the aggregate, and the report one name less.
            #expect(try Data(contentsOf: hardLink) == original)
        }
    }

    @Test("--route and --method pick one route's reports; mixed routes are noted; a filter that matches nothing lists what there is")
    func selection() throws {
        func report(_ method: String, _ route: String) throws -> LoadedReport {
            let request = RequestInfo(method: method, path: "/x", route: route, status: 200)
            let profile = Profile(frames: [], samples: [], metadata: ProfileMetadata(startTime: 1_763_676_000, request: request))
            return try ReportLoader.decode(Data(try profile.render(as: .json).bytes), path: "\(method)\(route).json")
        }
        let reports = [try report("GET", "/a"), try report("POST", "/a"), try report("GET", "/b")]
        let all = try ReportSelection.parse([]).select(reports)
        #expect(all.reports.count == 3)
        #expect(all.note?.contains("3 routes (GET /a, GET /b, POST /a)") == true, "\(all.note ?? "no note")")
        let getA = try ReportSelection.parse(["--route", "/a", "--method", "get"]).select(reports)
        #expect(getA.reports.map(\.path) == ["GET/a.json"] && getA.note == nil)
        #expect(try ReportSelection.parse(["--route", "/a"]).select(reports).reports.count == 2)
        #expect(try ReportSelection.parse([]).select(Array(reports.prefix(1))).note == nil, "one route: nothing to note")
        do {
            _ = try ReportSelection.parse(["--route", "/c"]).select(reports)
            Issue.record("a filter that matches nothing was accepted")
        } catch {
            #expect("\(error)" == "no report is of /c; the reports are of GET /a, GET /b, POST /a")
        }
    }

    /// `diff` reads two sets: "no report is of /x" and the mixed-routes note did not say
    /// whether the before or the after reports were meant.
    @Test("diff names the set a route filter found nothing in, and the set whose routes are mixed")
    func diffNamesTheSide() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        func write(_ method: String, _ route: String, into folder: String) throws {
            let request = RequestInfo(method: method, path: route, route: route, status: 200)
            let profile = Profile(frames: [], samples: [], metadata: ProfileMetadata(startTime: 1_763_676_000, request: request))
            _ = try directory.write(try profile.render(as: .json).bytes, to: "\(folder)/\(method)\(route.dropFirst()).json")
        }
        try write("GET", "/x", into: "before")
        try write("GET", "/y", into: "after")
        try write("POST", "/z", into: "after")
        let before = directory.url.appendingPathComponent("before").path, after = directory.url.appendingPathComponent("after").path
        do {
            try run(["diff", "--before", before, "--after", after, "--route", "/x", "--output", directory.url.appendingPathComponent("d.txt").path])
            Issue.record("the after set has no report of /x, and the diff was made")
        } catch {
            #expect(RequestProfilerCommand.message(for: error).contains("no --after report is of /x; the --after reports are of GET /y, POST /z"),
                    "\(RequestProfilerCommand.message(for: error))")
        }
        do {
            try run(["diff", "--before", after, "--after", before, "--route", "/x", "--output", directory.url.appendingPathComponent("d.txt").path])
            Issue.record("the before set has no report of /x, and the diff was made")
        } catch {
            #expect(RequestProfilerCommand.message(for: error).contains("no --before report is of /x"), "\(RequestProfilerCommand.message(for: error))")
        }
        let mixed = try ReportSelection.parse([]).select(ReportLoader.load([after]), side: "--after")
        #expect(mixed.note == "note: the --after reports are of 2 routes (GET /y, POST /z); --route and --method pick one")
    }

    /// The built tool, its standard output a full disk (`/dev/full`): every command that
    /// writes there must fail, with a message and a non-zero exit. `summary` printed through
    /// buffered stdio, lost everything at exit, and exited 0.
    @Test("an output that cannot be written is a failure, not a silent loss", arguments: ["summary", "merge"])
    func fullStandardOutput(command: String) async throws {
        let tool = try Self.builtTool()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await SavedReports.write(count: 1, milliseconds: 5, into: directory.url)
        let process = Process()
        process.executableURL = tool
        process.arguments = [command, directory.url.path]
        process.standardOutput = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0, "exit 0 with nothing written")
        #expect(message.contains("cannot be written to standard output"), "\(message)")
    }

    /// `--output /dev/stdout` with standard output appended to a file (`>> log.txt`): opened
    /// again by name, the file was truncated; written through the open descriptor, it keeps
    /// what it held.
    @Test("--output naming standard output appends where standard output appends")
    func outputToStandardOutputKeepsItsAppendMode() async throws {
        let tool = try Self.builtTool()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await SavedReports.write(count: 1, milliseconds: 5, into: directory.url.appendingPathComponent("reports"))
        let log = directory.url.appendingPathComponent("log.txt").path
        try Data("earlier line\n".utf8).write(to: URL(fileURLWithPath: log))
        let appending = open(log, O_WRONLY | O_APPEND)
        try #require(appending >= 0)
        let process = Process()
        process.executableURL = tool
        process.arguments = ["merge", directory.url.appendingPathComponent("reports").path, "--format", "collapsed", "--output", "/dev/stdout"]
        process.standardOutput = FileHandle(fileDescriptor: appending, closeOnDealloc: true)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.hasPrefix("earlier line\n"), "the earlier content was lost: \(text.prefix(80))")
        #expect(text.count > "earlier line\n".count, "nothing appended")
    }

    /// A report's frame names and route, and a file's own `schema`, are anyone's text: an
    /// escape sequence in them (`ESC ] 0 ;` retitles the window, `ESC [ 2 J` clears the screen)
    /// acted on the terminal of whoever ran `summary`, or read its error.
    @Test("summary, notes and errors print no control characters from the reports")
    func noEscapeSequencesReachTheTerminal() async throws {
        let tool = try Self.builtTool()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let reports = directory.url.appendingPathComponent("reports")
        try await SavedReports.write(count: 1, milliseconds: 5, into: reports)
        let file = try #require(try FileManager.default.contentsOfDirectory(at: reports, includingPropertiesForKeys: nil).first)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        object["frames"] = (object["frames"] as! [[String: Any]]).map { frame in
            var frame = frame
            frame["name"] = "\u{1b}]0;owned\u{07}\u{1b}[2J" + (frame["name"] as! String)
            return frame
        }
        var metadata = object["metadata"] as! [String: Any]
        var request = metadata["request"] as! [String: Any]
        request["route"] = "/evil\u{1b}[2K\u{9b}31m"
        metadata["request"] = request
        object["metadata"] = metadata
        try JSONSerialization.data(withJSONObject: object).write(to: file)
        let hostileSchema = directory.url.appendingPathComponent("schema.json")
        try Data(#"{"schema":"\u001b[2Kfake","schemaVersion":1}"#.utf8).write(to: hostileSchema)

        func output(_ arguments: [String]) throws -> (status: Int32, text: [UInt8]) {
            let process = Process()
            process.executableURL = tool
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let text = [UInt8](pipe.fileHandleForReading.readDataToEndOfFile())
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        let summary = try output(["summary", reports.path, "--route", "/nothing"])
        #expect(summary.status != 0, "no report is of that route: the error lists the routes")
        #expect(String(decoding: summary.text, as: UTF8.self).contains("/evil"))
        for (arguments, succeeds) in [(["summary", reports.path], true), (["summary", reports.path, "--route", "/nothing"], false), (["summary", hostileSchema.path], false)] {
            let (status, text) = try output(arguments)
            #expect((status == 0) == succeeds, "\(arguments): \(String(decoding: text, as: UTF8.self))")
            #expect(!text.contains(0x1B) && !text.contains(0x07), "\(arguments): \(String(decoding: text, as: UTF8.self))")
            #expect(!String(decoding: text, as: UTF8.self).unicodeScalars.contains { (0x80...0x9F).contains($0.value) })
        }
    }

    @Test("bad inputs: each error names the file, and the exit code is not zero")
    func badInputs() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let good = directory.url.appendingPathComponent("good.json")
        try Data(try RequestProfilerCLITestsFixture.report(version: 1)).write(to: good)
        let cases: [(name: String, bytes: [UInt8]?, expected: String)] = [
            ("missing.json", nil, "no such file"),
            ("garbage.json", Array("not json {".utf8), "not a JSON file"),
            ("other.json", Array(#"{"traceEvents": []}"#.utf8), "not a swift-request-profiler json report"),
            ("newer.json", try RequestProfilerCLITestsFixture.report(version: 2), "schema version 2 differs"),
            ("pipe.json", nil, "not a regular file"),
        ]
        // A FIFO named like a report is refused, saying so, without waiting for a writer.
        #expect(mkfifo(directory.url.appendingPathComponent("pipe.json").path, 0o644) == 0)
        for (name, bytes, expected) in cases {
            let url = directory.url.appendingPathComponent(name)
            if let bytes { try Data(bytes).write(to: url) }
            do {
                try run(["merge", good.path, url.path, "--output", directory.url.appendingPathComponent("out.txt").path])
                Issue.record("\(name) was accepted")
            } catch {
                let message = RequestProfilerCommand.message(for: error)
                #expect(message.contains(url.path), "\(message)")
                #expect(message.contains(expected), "\(message)")
                #expect(RequestProfilerCommand.exitCode(for: error) != .success)
            }
        }
        // A newer report alone is refused for its version.
        #expect(throws: ReportLoadError.unsupportedVersion(path: directory.url.appendingPathComponent("newer.json").path, version: 2)) {
            try run(["render", directory.url.appendingPathComponent("newer.json").path])
        }
    }
}

/// A small valid report, with its schema version replaced.
enum RequestProfilerCLITestsFixture {
    static func report(version: Int) throws -> [UInt8] {
        let profile = Profile(frames: [], samples: [], metadata: ProfileMetadata(startTime: 1_763_676_000))
        let text = String(decoding: try profile.render(as: .json).bytes, as: UTF8.self)
        return Array(text.replacingOccurrences(of: "\"schemaVersion\":1", with: "\"schemaVersion\":\(version)").utf8)
    }
}
