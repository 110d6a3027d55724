@testable import ProfileReports
import Foundation
import ProfileModel
import RequestProfiler
import ReportTestSupport
import Testing

/// Burns CPU in its own frame, calling nothing on the hot path (a counted `while`, not a
/// range iterator, which a debug build calls out of line), so it is the hottest leaf of a
/// real profile.
@inline(never)
func roundTripHotLoop(milliseconds: Int) -> UInt64 {
    let deadline = ContinuousClock.now + .milliseconds(milliseconds)
    var x: UInt64 = 0x9E37_79B9_7F4A_7C15
    while ContinuousClock.now < deadline {
        var round = 0
        while round < 200_000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            round &+= 1
        }
    }
    return x
}

@inline(never)
func roundTripColdLoop(milliseconds: Int) -> UInt64 {
    roundTripHotLoop(milliseconds: 0) &+ UInt64(milliseconds)
}

/// A profile taken by the real sampler, rendered in all six formats and read back from each:
/// every format must name the same hottest function.
@Suite("Round trip on a real sampled profile", .serialized)
struct RealProfileRoundTripTests {
    static let hotName = "roundTripHotLoop"

    private func sampledProfile() async throws -> Profile {
        let profiler = Profiler(configuration: .init(interval: .milliseconds(1)))
        let (_, profile) = try await profiler.profile {
            roundTripHotLoop(milliseconds: 150) &+ roundTripColdLoop(milliseconds: 1)
        }
        try #require(profile.sampleCount >= 50, "the sampler recorded only \(profile.sampleCount) samples")
        return profile
    }

    /// The function with the most self (leaf) wall time, from (leaf frame name, weight) pairs.
    private func hottest(_ leaves: [(String, Int)]) -> String? {
        Dictionary(leaves, uniquingKeysWith: +).max { $0.value < $1.value }?.key
    }

    @Test("all six formats render, parse back, and agree on the hottest function")
    func roundTrip() async throws {
        let profile = try await sampledProfile()

        // json: decode with Codable, take the node with the most self time.
        let json = try JSONDecoder().decode(JSONReport.self, from: Data(profile.render(as: .json).bytes))
        var jsonLeaves: [(String, Int)] = []
        func walk(_ node: JSONReportNode) {
            jsonLeaves.append((node.name, Int(node.selfNanoseconds)))
            node.children.forEach(walk)
        }
        walk(json.root)
        #expect(json.root.sampleCount == profile.sampleCount)
        #expect(hottest(jsonLeaves)?.contains(Self.hotName) == true, "json hottest: \(hottest(jsonLeaves) ?? "none")")

        // speedscope: leaf of each sample, weighted.
        let speedscope = try JSONSerialization.jsonObject(with: Data(profile.render(as: .speedscope).bytes)) as! [String: Any]
        let frames = ((speedscope["shared"] as! [String: Any])["frames"] as! [[String: Any]]).map { $0["name"] as! String }
        let sampled = (speedscope["profiles"] as! [[String: Any]])[0]
        let stacks = sampled["samples"] as! [[Int]], weights = sampled["weights"] as! [Int]
        let speedscopeLeaves = zip(stacks, weights).compactMap { stack, weight in stack.last.map { (frames[$0], weight) } }
        #expect(hottest(speedscopeLeaves)?.contains(Self.hotName) == true, "speedscope hottest: \(hottest(speedscopeLeaves) ?? "none")")
        #expect(weights.reduce(0, +) == Int(profile.totalWallNanoseconds))

        // collapsed: the last frame of each line, weighted by its count.
        let collapsed = String(decoding: try profile.render(as: .collapsed).bytes, as: UTF8.self)
        let collapsedLeaves: [(String, Int)] = collapsed.split(separator: "\n").map { line in
            let space = line.lastIndex(of: " ")!
            let leaf = line[..<space].split(separator: ";").last.map(String.init) ?? ""
            return (leaf, Int(line[line.index(after: space)...])!)
        }
        #expect(collapsedLeaves.map(\.1).reduce(0, +) == profile.sampleCount)
        #expect(hottest(collapsedLeaves)?.contains(Self.hotName) == true, "collapsed hottest: \(hottest(collapsedLeaves) ?? "none")")

        // pprof: decoded by the protobuf runtime from a protoc-compiled profile.proto.
        let pprof = try PprofRendererTests.decodeWithProtobuf(profile.render(as: .pprof).bytes)
        let pprofHot = (pprof["hot"] as? [String: Any])?["name"] as? String
        #expect(pprofHot?.contains(Self.hotName) == true, "pprof hottest: \(pprofHot ?? "none")")
        #expect((pprof["totals"] as? [Int])?.first == profile.sampleCount)

        // text: the hot function's line carries most of the time.
        let text = String(decoding: try profile.render(as: .text).bytes, as: UTF8.self)
        let hotLine = try #require(text.split(separator: "\n").first { $0.contains(Self.hotName) }, "text report:\n\(text)")
        let share = hotLine.split(separator: " ").first { $0.hasSuffix("%") }.flatMap { Double($0.dropLast()) }
        #expect((share ?? 0) > 50, "text line: \(hotLine)")

        // html: the embedded tree names it, and the page renders it in a browser.
        let html = try profile.render(as: .html).bytes
        #expect(String(decoding: html, as: UTF8.self).contains(Self.hotName))
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let page = try Chromium().load(try directory.write(html, to: "real.html").absoluteString, in: directory)
        #expect(page.consoleMessages.isEmpty, "console: \(page.consoleMessages)")
        #expect(page.dom.contains(#"data-state="ready""#))
        #expect(page.dom.contains(Self.hotName))
    }
}
