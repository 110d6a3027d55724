import Foundation
import ProfileAggregate
import ProfileModel
import ProfileReports
import Testing

@Suite("Aggregate of many requests")
struct AggregateProfileTests {
    private func statistics(_ aggregate: AggregateProfile, _ name: String) throws -> FrameStatistics {
        try #require(aggregate.summary.frames.first { $0.name == name })
    }

    @Test("sums, per-request median and p95, and appearances of known trees")
    func knownTrees() throws {
        let aggregate = AggregateProfile(profiles: RequestFixtures.five)
        #expect(aggregate.summary.requests.requestCount == 5)
        #expect(aggregate.summary.requests.firstStartTime == 1_763_676_060)
        // The last request starts at +300 s and lasts 1 + 50 + 4 = 55 ms (no audit).
        #expect(abs(aggregate.summary.requests.lastEndTime - (1_763_676_300 + 0.055)) < 1e-6)

        let price = try statistics(aggregate, RequestFixtures.price)
        #expect(price.requestCount == 5)
        #expect(price.wallNanoseconds == 150_000_000)
        #expect(price.cpuNanoseconds == 150_000_000)
        #expect(price.selfNanoseconds == 150_000_000)
        #expect(price.medianNanoseconds == 30_000_000)
        #expect(price.p95Nanoseconds == 48_000_000)  // 40 + 0.8 × (50 - 40)

        let audit = try statistics(aggregate, RequestFixtures.audit)
        #expect(audit.requestCount == 2)
        #expect(audit.wallNanoseconds == 10_000_000)
        #expect(audit.medianNanoseconds == 0)  // absent from three of five requests
        #expect(audit.p95Nanoseconds == 5_000_000)

        let load = try statistics(aggregate, RequestFixtures.load)
        #expect(load.awaitNanoseconds == 20_000_000)
        #expect(load.cpuNanoseconds == 0)
        #expect(load.medianNanoseconds == 4_000_000)

        let handle = try statistics(aggregate, RequestFixtures.handle)
        #expect(handle.wallNanoseconds == aggregate.profile.totalWallNanoseconds)
        #expect(aggregate.summary.frames.first?.name == "main")
    }

    @Test("a recursive frame counts each sample once")
    func recursion() throws {
        var profile = RequestFixtures.request(price: 0)
        let sample = Sample(stack: [0, 1, 2, 2, 2], timeNanoseconds: 0, wallNanoseconds: 3_000_000, cpuNanoseconds: 3_000_000, state: .running)
        profile.samples = [sample, sample]
        let price = try statistics(AggregateProfile(profiles: [profile]), RequestFixtures.price)
        #expect(price.wallNanoseconds == 6_000_000)
        #expect(price.selfNanoseconds == 6_000_000)
    }

    @Test("the merged profile holds every sample, one frame per function, summed metadata")
    func mergedProfile() {
        let aggregate = AggregateProfile(profiles: RequestFixtures.five)
        let profile = aggregate.profile
        #expect(profile.frames.count == RequestFixtures.frames.count)
        #expect(profile.sampleCount == RequestFixtures.five.reduce(0) { $0 + $1.sampleCount })
        #expect(profile.metadata.durationNanoseconds == RequestFixtures.five.reduce(0) { $0 + $1.metadata.durationNanoseconds })
        #expect(profile.metadata.request == RequestInfo(method: "GET", path: "/orders/:id", route: "/orders/:id", status: 200))
        // Requests follow each other in time.
        #expect(zip(profile.samples, profile.samples.dropFirst()).allSatisfy { $0.timeNanoseconds < $1.timeNanoseconds })
    }

    /// A report rebuilds all the samples of a node on one shared stack array; the merge keeps
    /// them sharing (a copy per sample made a tiny deep report take gigabytes).
    @Test("samples that share one stack still share it after the merge")
    func sharedStacksStayShared() throws {
        let shared = [0, 1, 2]
        var profile = RequestFixtures.request(price: 0)
        profile.samples = (0..<4).map { number in
            Sample(stack: shared, timeNanoseconds: UInt64(number) * 1_000_000, wallNanoseconds: 1_000_000, cpuNanoseconds: 1_000_000, state: .running)
        }
        let merged = AggregateProfile(profiles: [profile, profile]).profile.samples
        #expect(merged.count == 8)
        let storages = Set(merged.map { $0.stack.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } })
        #expect(storages.count == 2, "one stack array per merged request, not one per sample")
        #expect(merged.allSatisfy { $0.stack == shared })
    }

    /// Each report's times are bounded on load, their number is not (a command-line merge of a
    /// folder): sums are held at the largest value instead of crashing the tool.
    @Test("sums over very many long requests saturate instead of trapping")
    func sumsSaturate() {
        var profile = RequestFixtures.request(price: 1)
        profile.metadata.durationNanoseconds = 1 << 50
        profile.metadata.cpuNanoseconds = 1 << 50
        let aggregate = AggregateProfile(profiles: Array(repeating: profile, count: 16_385))
        #expect(aggregate.profile.metadata.durationNanoseconds == .max)
        #expect(aggregate.profile.metadata.cpuNanoseconds == .max)
        #expect(aggregate.profile.samples.last?.timeNanoseconds == .max)
        #expect(aggregate.summary.frames.first?.requestCount == 16_385)
    }

    /// The sampler keeps 256 frames of a stack, plus the async frames above them; mutual
    /// recursion (a recursive-descent parser) is not merged away. Every report the server
    /// writes must read back.
    @Test("a report of a stack hundreds of frames deep reads back", arguments: [300, 600])
    func deepReportsReadBack(depth: Int) throws {
        let frames = [
            Frame(name: "Parser.parseValue()", image: "App", kind: .application),
            Frame(name: "Parser.parseArray()", image: "App", kind: .application),
        ]
        let stack = (0..<depth).map { $0 % 2 }
        let profile = Profile(
            frames: frames,
            samples: [Sample(stack: stack, timeNanoseconds: 0, wallNanoseconds: 1_000_000, cpuNanoseconds: 1_000_000, state: .running)],
            metadata: ProfileMetadata(startTime: 1_763_676_000, durationNanoseconds: 1_000_000))
        let bytes = try profile.render(as: .json).bytes
        let loaded = try ReportLoader.decode(Data(bytes), path: "deep.json")
        // The tree stops at its 240th level; the time is all there, and a note says why.
        #expect(loaded.profile.samples.first?.stack.count == JSONReport.deepestNodeLevel)
        #expect(loaded.profile.totalWallNanoseconds == profile.totalWallNanoseconds)
        #expect(loaded.profile.metadata.notes.contains { $0.contains("deeper than 240 frames") })
        let shallow = Profile(frames: profile.frames, samples: [Sample(stack: Array(stack.prefix(200)), timeNanoseconds: 0, wallNanoseconds: 1_000_000, cpuNanoseconds: 0, state: .running)], metadata: profile.metadata)
        let whole = try ReportLoader.decode(Data(try shallow.render(as: .json).bytes), path: "shallow.json")
        #expect(whole.profile.samples.first?.stack.count == 200 && whole.profile.metadata.notes.isEmpty)
    }

    /// The same function built in two folders (two CI runs), or seen once only through code
    /// inlined from a library: one row in all requests, not two rows in half of them each.
    @Test("one function is one row whatever its file or kind in each request")
    func oneFunctionOneRow() {
        var first = RequestFixtures.request(price: 10)
        var second = RequestFixtures.request(price: 10)
        first.frames[2].file = "/ci/run-1/shop/Sources/Shop/Pricing.swift"
        second.frames[2].file = "/ci/run-2/shop/Sources/Shop/Pricing.swift"
        second.frames[2].kind = .library
        let aggregate = AggregateProfile(profiles: [first, second])
        let rows = aggregate.summary.frames.filter { $0.name == RequestFixtures.price }
        #expect(rows.count == 1)
        #expect(rows.first?.requestCount == 2)
        #expect(aggregate.profile.frames[rows.first?.frame ?? 0].kind == .application)
        let diff = ProfileDiff(before: [first], after: [second])
        #expect(diff.summary.frames.filter { $0.name == RequestFixtures.price }.count == 1)
    }

    @Test("merging reports read back from json gives the same statistics as merging the profiles")
    func fromReports() throws {
        let reports = try RequestFixtures.five.map { profile in
            try JSONDecoder().decode(JSONReport.self, from: Data(profile.render(as: .json).bytes))
        }
        let fromReports = AggregateProfile(profiles: reports.map(Profile.init(report:)))
        let direct = AggregateProfile(profiles: RequestFixtures.five)
        #expect(fromReports.summary.frames.map(\.wallNanoseconds) == direct.summary.frames.map(\.wallNanoseconds))
        #expect(fromReports.summary.frames.map(\.p95Nanoseconds) == direct.summary.frames.map(\.p95Nanoseconds))
    }

    @Test("renders in every format", arguments: ProfileFormat.allCases)
    func everyFormat(format: ProfileFormat) throws {
        let report = try AggregateProfile(profiles: RequestFixtures.five).render(as: format)
        #expect(!report.bytes.isEmpty)
        #expect(report.format == format)
    }

    @Test("text and html show the request count and time range up front")
    func headline() throws {
        let aggregate = AggregateProfile(profiles: RequestFixtures.five)
        let text = String(decoding: try aggregate.render(as: .text).bytes, as: UTF8.self)
        let headline = "Aggregate of 5 requests, 2025-11-20T22:01:00Z to 2025-11-20T22:05:00Z"
        #expect(text.split(separator: "\n").prefix(8).contains { $0 == headline })
        let html = String(decoding: try aggregate.render(as: .html).bytes, as: UTF8.self)
        #expect(html.contains("<p class=\"headline\">\(headline)</p>"))
        #expect(html.contains("<td>5/5</td>"))
    }

    /// The table of functions hides what the call tree hides: a function a hide pattern
    /// matches was still listed, and a library one a show pattern matches was left out.
    @Test("the table of functions follows the hide and show patterns")
    func tableFollowsPatterns() throws {
        let aggregate = AggregateProfile(profiles: RequestFixtures.five)
        func tableRows(_ options: RenderOptions) throws -> [Substring] {
            let text = String(decoding: try aggregate.render(as: .text, options: options).bytes, as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let title = try #require(lines.firstIndex { $0.contains("Functions by total time") })
            return Array(lines[(title + 1)...].prefix { !$0.isEmpty })
        }
        #expect(try tableRows(RenderOptions()).contains { $0.contains("Audit.record") })
        #expect(try !tableRows(RenderOptions(hidePatterns: ["Audit\\.record"])).contains { $0.contains("Audit.record") })
        #expect(try tableRows(RenderOptions(hidePatterns: ["Audit\\.record"])).contains { $0.contains("Pricing.price") })
    }

    @Test("json carries the aggregate object, which decodes back")
    func json() throws {
        let aggregate = AggregateProfile(profiles: RequestFixtures.five)
        let report = try JSONDecoder().decode(JSONReport.self, from: Data(aggregate.render(as: .json).bytes))
        #expect(report.aggregate == aggregate.summary)
        #expect(report.schemaVersion == 1)
        #expect(report.diff == nil)
    }
}
