import Foundation
import ProfileAggregate
import ProfileReports
import Testing

/// A saved json report is read back from a folder anyone with access can write to. Values the
/// decoder lets through (an index past the frame table, a negative count, a time near
/// `UInt64.max`) must be refused as malformed, naming the field, before anything indexes or
/// sums them: the server that renders a report for its dashboard must not trap or build
/// billions of samples.
@Suite("Hostile json reports")
struct HostileReportTests {
    static let single = try! RequestFixtures.request(price: 20, audit: 5, load: 10).render(as: .json).bytes
    static let aggregate = try! AggregateProfile(profiles: RequestFixtures.five).render(as: .json).bytes
    static let diff = try! AggregateGoldenTests.diff.render(as: .json).bytes

    struct Edit: CustomTestStringConvertible, Sendable {
        let report: [UInt8]
        let path: [String]
        let value: Double
        let reason: String
        var testDescription: String { path.joined(separator: ".") + " = \(value)" }
    }

    static let edits: [Edit] = [
        Edit(report: single, path: ["root", "children", "0", "frame"], value: 9_999, reason: "no such frame"),
        Edit(report: single, path: ["root", "children", "0", "frame"], value: -1, reason: "no such frame"),
        Edit(report: single, path: ["root", "children", "0", "hiddenFrameCount"], value: -2, reason: "hiddenFrameCount"),
        Edit(report: single, path: ["root", "children", "0", "hiddenFrameCount"], value: 1e9, reason: "hiddenFrameCount"),
        Edit(report: single, path: ["root", "children", "0", "sampleCount"], value: 9e18, reason: "sampleCount"),
        Edit(report: single, path: ["root", "children", "0", "sampleCount"], value: 1e12, reason: "samples"),
        // Summed with its siblings before its own check came: the sum trapped.
        Edit(report: single, path: ["root", "children", "0", "sampleCount"], value: -9_223_372_036_854_775_808, reason: "sampleCount"),
        Edit(report: single, path: ["root", "children", "0", "sampleCount"], value: -5e18, reason: "sampleCount"),
        Edit(report: single, path: ["root", "children", "0", "totalNanoseconds"], value: 1.8e19, reason: "a time out of range"),
        Edit(report: single, path: ["metadata", "startTime"], value: 1e300, reason: "startTime"),
        Edit(report: single, path: ["metadata", "intervalNanoseconds"], value: 0, reason: "intervalNanoseconds"),
        Edit(report: single, path: ["metadata", "missedSamples"], value: -5, reason: "sample count"),
        Edit(report: single, path: ["tree", "threshold"], value: 1e9, reason: "threshold"),
        Edit(report: aggregate, path: ["aggregate", "frames", "0", "frame"], value: 77, reason: "no such frame"),
        Edit(report: aggregate, path: ["aggregate", "requests", "requestCount"], value: -1, reason: "requestCount"),
        Edit(report: diff, path: ["diff", "frames", "0", "frame"], value: 77, reason: "no such frame"),
        Edit(report: diff, path: ["diff", "frames", "0", "beforeRequestShare"], value: 5, reason: "share"),
    ]

    @Test("a value out of range is malformed, named", arguments: edits)
    func refused(edit: Edit) throws {
        let original = try #require(try JSONSerialization.jsonObject(with: Data(edit.report)) as? [String: Any])
        let hostile = try JSONSerialization.data(withJSONObject: Self.setting(edit.value, at: edit.path[...], in: original))
        do {
            _ = try ReportLoader.decode(hostile, path: "hostile.json")
            Issue.record("accepted")
        } catch {
            guard case .malformed(let path, let reason) = error else { Issue.record("not malformed: \(error)"); return }
            #expect(path == "hostile.json")
            #expect(reason.contains(edit.reason), "reason: \(reason)")
        }
    }

    /// Each limit alone lets through a report a few hundred bytes long that rebuilds 15
    /// million samples 90,000 frames deep: hashing their stacks would take a core for tens
    /// of minutes. Samples times depth is bounded too.
    @Test func manySamplesDeepDownAreRefused() throws {
        var object: Any = try #require(try JSONSerialization.jsonObject(with: Data(Self.single)) as? [String: Any])
        object = Self.setting(90_000, at: ["root", "children", "0", "hiddenFrameCount"], in: object)
        object = Self.setting(15_000_000, at: ["root", "children", "0", "sampleCount"], in: object)
        let bomb = try JSONSerialization.data(withJSONObject: object)
        do {
            _ = try ReportLoader.decode(bomb, path: "bomb.json")
            Issue.record("accepted")
        } catch {
            guard case .malformed(_, let reason) = error else { Issue.record("not malformed: \(error)"); return }
            #expect(reason.contains("stack frames"), "reason: \(reason)")
        }
    }

    /// Thousands of leaves under one 100,000-deep path: few samples and few frames of work per
    /// sample, but every leaf's stack is an array of its own, gigabytes in all. A report of a
    /// few hundred kilobytes must not take the server's memory.
    @Test func manyLeavesUnderADeepPathAreRefused() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(Self.single)) as? [String: Any])
        var root = try #require(object["root"] as? [String: Any])
        var deep = try #require((root["children"] as? [[String: Any]])?.first)
        let frame = try #require(deep["frame"] as? Int)
        let leaf: [String: Any] = [
            "frame": frame, "name": "leaf", "kind": "application", "totalNanoseconds": 1, "selfNanoseconds": 1, "cpuNanoseconds": 0,
            "selfCPUNanoseconds": 0, "awaitNanoseconds": 0, "waitNanoseconds": 0, "sampleCount": 0, "hiddenFrameCount": 0,
            "children": [Any](),
        ]
        deep["hiddenFrameCount"] = 99_998
        deep["children"] = Array(repeating: leaf, count: 300)
        root["children"] = [deep]
        object["root"] = root
        let bomb = try JSONSerialization.data(withJSONObject: object)
        do {
            _ = try ReportLoader.decode(bomb, path: "leaves.json")
            Issue.record("accepted")
        } catch {
            guard case .malformed(_, let reason) = error else { Issue.record("not malformed: \(error)"); return }
            #expect(reason.contains("stacks hold more than"), "reason: \(reason)")
        }
    }

    /// Hide and show patterns are compiled as regular expressions and run on every frame name:
    /// one that repeats a repeating group can take exponential time on a name it does not
    /// match, holding the server's core. Such patterns are refused; ordinary ones pass. Quoted
    /// text and comments holding a `[` hid the rest of a pattern from the check; extended
    /// syntax cannot be followed, so it is refused.
    @Test(arguments: [("(.*)*!", true), ("(a+)+$", true), ("(x{2,})*y", true), ("((ab)*c)+", true), ("(x{2,})?y", false),
        ("(\\w|\\d)+$", true), ("(?^x)^/(a +) +$", true), ("(\\p{L})+", false), ("(\\d{4}){2}", false),
        ("(?:Vapor|NIO)\\.", false), ("\\d+ms", false), ("^MyApp\\..*", false), ("[(]+)*", false),
        ("\\Q[\\E(a+)+", true), ("(?#[)(a+)+", true), ("(?x)(a + ) +", true), ("[]a](a+)+", true),
        ("\\Q(a+)+\\E", false), ("(?i)^vapor", false), ("(?<name>a+)b", false), ("(?i:nio)+", false)])
    func patternsThatRepeatARepeatingGroupAreRefused(pattern: String, refused: Bool) throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(Self.single)) as? [String: Any])
        var tree = try #require(object["tree"] as? [String: Any])
        tree["hidePatterns"] = [pattern]
        object["tree"] = tree
        let data = try JSONSerialization.data(withJSONObject: object)
        if refused {
            #expect(throws: ReportLoadError.self) { try ReportLoader.decode(data, path: "patterns.json") }
        } else {
            _ = try ReportLoader.decode(data, path: "patterns.json")
        }
    }

    /// A report as the tools write it, named in the test's output instead of printed byte by byte.
    struct Written: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        var testDescription: String { name }
    }

    @Test(
        "the reports the tools write pass, and render again",
        arguments: [Written(name: "single", bytes: single), Written(name: "aggregate", bytes: aggregate), Written(name: "diff", bytes: diff)])
    func accepted(report: Written) throws {
        let loaded = try ReportLoader.decode(Data(report.bytes), path: "report.json")
        #expect(loaded.report.problem == nil)
        #expect(try !loaded.render(as: .html).bytes.isEmpty)
    }

    /// The dashboard checks that a report's resolved path is in its folder, then reads it: a
    /// symlink put in its place between the two must not be followed out of the folder.
    @Test func aSymlinkIsRefusedWhenTheCallerSaysSo() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-link-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(Self.single).write(to: URL(fileURLWithPath: folder + "/outside.json"))
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.json", withDestinationPath: folder + "/outside.json")
        #expect(try ReportLoader.load(file: folder + "/link.json").report.problem == nil, "followed by default (the CLI)")
        #expect(throws: ReportLoadError.self) { try ReportLoader.load(file: folder + "/link.json", followsSymlinks: false) }
        #expect(try ReportLoader.load(file: folder + "/outside.json", followsSymlinks: false).report.problem == nil)
    }

    /// `object` with `value` at `path` (dictionary keys, or array indices written as numbers).
    private static func setting(_ value: Double, at path: ArraySlice<String>, in object: Any) -> Any {
        guard let key = path.first else {
            // Whole numbers as integers (a count, an index); others as they are.
            if value.rounded() == value, let whole = Int64(exactly: value) { return NSNumber(value: whole) }
            if value.rounded() == value, let whole = UInt64(exactly: value) { return NSNumber(value: whole) }
            return NSNumber(value: value)
        }
        if var array = object as? [Any], let index = Int(key) {
            array[index] = setting(value, at: path.dropFirst(), in: array[index])
            return array
        }
        var dictionary = object as? [String: Any] ?? [:]
        dictionary[key] = setting(value, at: path.dropFirst(), in: dictionary[key] ?? [:])
        return dictionary
    }
}
