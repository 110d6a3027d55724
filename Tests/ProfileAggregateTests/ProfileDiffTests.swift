import Foundation
import ProfileAggregate
import ProfileModel
import ProfileReports
import Testing

@Suite("Differential reports")
struct ProfileDiffTests {
    /// Eight requests per set, with a few milliseconds of jitter from request to request.
    private static func requests(price: Int, jitter: [Int] = [0, 2, -1, 3, -2, 1, 0, -3]) -> [Profile] {
        jitter.enumerated().map { index, delta in
            RequestFixtures.request(price: price + delta, audit: 6 + delta, load: 20 - delta, start: 1_763_676_000 + Double(index))
        }
    }

    @Test("a function whose time doubled comes first and is a real change; unchanged ones are noise")
    func doubled() throws {
        let diff = ProfileDiff(before: Self.requests(price: 20), after: Self.requests(price: 40, jitter: [1, -2, 0, 2, -1, 3, -3, 0]))
        let first = try #require(diff.summary.frames.first)
        #expect(first.name == RequestFixtures.price)
        #expect(!first.noise)
        #expect(first.changeNanosecondsPerRequest == 20_000_000)
        #expect(first.beforeNanosecondsPerRequest == 20_000_000)
        #expect(first.relativeChange == 1)
        #expect(first.beforeRequestShare == 1 && first.afterRequestShare == 1)

        for name in [RequestFixtures.audit, RequestFixtures.load, RequestFixtures.handle] {
            let entry = try #require(diff.summary.frames.first { $0.name == name })
            #expect(entry.noise, "\(name) changed by \(entry.changeNanosecondsPerRequest) ns, threshold \(entry.noiseThresholdNanoseconds)")
        }
    }

    @Test("an awaited call's suspended time counts for the function that awaited")
    func awaitedTime() throws {
        let diff = ProfileDiff(before: [RequestFixtures.request(price: 5, load: 10)], after: [RequestFixtures.request(price: 5, load: 30)])
        let first = try #require(diff.summary.frames.first)
        #expect(first.name == RequestFixtures.load)
        #expect(first.changeNanosecondsPerRequest == 20_000_000)
        #expect(!first.noise)
        #expect(!diff.summary.frames.contains { $0.name == "await" })
    }

    /// `main -> handle -> JSONEncoder.encode` (library) for `encode` ms, and `handle -> query`
    /// (library) `-> await` for `query` ms: the time of hidden library calls and of awaits on
    /// them belongs to `handle`, the deepest frame a report shows.
    private static func libraryRequest(encode: Int, query: Int) -> Profile {
        let frames = [
            Frame(name: "main", image: "Shop", file: "/build/shop/Sources/Shop/main.swift", line: 1, kind: .application),
            Frame(name: RequestFixtures.handle, image: "Shop", file: "/build/shop/Sources/Shop/OrderController.swift", line: 20, kind: .application),
            Frame(name: "Foundation.JSONEncoder.encode<A>(A) throws -> Foundation.Data", image: "Shop", kind: .library),
            Frame(name: "Foundation.JSONEncoder.writeValue()", image: "Shop", kind: .library),
            Frame(name: "PostgresNIO.PostgresConnection.query()", image: "Shop", kind: .library),
            Frame(name: "await", image: "", kind: .await),
        ]
        var samples: [Sample] = []
        for (stack, count, suspended) in [([0, 1, 2, 3], encode, false), ([0, 1, 4, 5], query, true)] {
            for _ in 0..<count {
                samples.append(Sample(
                    stack: stack, timeNanoseconds: UInt64(samples.count) * 1_000_000, wallNanoseconds: 1_000_000,
                    cpuNanoseconds: suspended ? 0 : 1_000_000, state: suspended ? .suspended : .running))
            }
        }
        let metadata = ProfileMetadata(
            startTime: 1_763_676_000, durationNanoseconds: UInt64(samples.count) * 1_000_000, intervalNanoseconds: 1_000_000,
            request: RequestInfo(method: "GET", path: "/orders/1", route: "/orders/:id", status: 200))
        return Profile(frames: frames, samples: samples, metadata: metadata)
    }

    @Test("hidden library calls and awaits on them count for the calling function, also from saved reports")
    func libraryTimeCountsForTheCaller() throws {
        let before = [Self.libraryRequest(encode: 10, query: 5), Self.libraryRequest(encode: 10, query: 5)]
        let after = [Self.libraryRequest(encode: 30, query: 15), Self.libraryRequest(encode: 30, query: 15)]
        // Saved reports hide the library frames below their entry point: read back, a stack
        // ends at `JSONEncoder.encode`, a library frame.
        func saved(_ profiles: [Profile]) throws -> [Profile] {
            try profiles.map { try ReportLoader.decode(Data($0.render(as: .json).bytes), path: "r.json").profile }
        }
        for diff in [ProfileDiff(before: before, after: after), ProfileDiff(before: try saved(before), after: try saved(after))] {
            let handle = try #require(diff.summary.frames.first { $0.name == RequestFixtures.handle })
            #expect(handle.changeNanosecondsPerRequest == 30_000_000)
            #expect(!handle.noise)
            #expect(diff.summary.frames.first == handle)
            let text = String(decoding: try diff.render(as: .text).bytes, as: UTF8.self)
            let row = try #require(text.split(separator: "\n").first { $0.contains(RequestFixtures.handle) && $0.contains("slower") })
            #expect(row.contains("+30"), "\(row)")
        }
    }

    /// A saved diff report is read back whole: its noise rule, printed in the text report's
    /// note, could carry an escape sequence for the terminal of whoever renders it.
    @Test("a saved diff's noise rule reaches the text report without control characters")
    func savedNoiseRuleIsTerminalSafe() throws {
        let diff = ProfileDiff(before: [RequestFixtures.request(price: 20)], after: [RequestFixtures.request(price: 40)])
        var loaded = try ReportLoader.decode(Data(diff.render(as: .json).bytes), path: "diff.json")
        loaded.report.diff?.noiseRule = "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\u{202E}"
        let text = String(decoding: try loaded.render(as: .text).bytes, as: UTF8.self)
        let unsafe = text.unicodeScalars.filter { $0 != "\n" && TerminalSafeText.isUnsafe($0) }
        #expect(unsafe.isEmpty, "\(unsafe.map { String($0.value, radix: 16) })")
        #expect(text.contains("]0;pwned"), "the rule is still shown")
    }

    @Test("one request against one: a change of a millisecond is noise, of twenty is not")
    func singleRequests() throws {
        let small = ProfileDiff(before: [RequestFixtures.request(price: 20)], after: [RequestFixtures.request(price: 21)])
        #expect(small.summary.frames.first { $0.name == RequestFixtures.price }?.noise == true)
        let large = ProfileDiff(before: [RequestFixtures.request(price: 20)], after: [RequestFixtures.request(price: 40)])
        #expect(large.summary.frames.first { $0.name == RequestFixtures.price }?.noise == false)
    }

    @Test("a diff and its reverse mirror each other when a function's kind differs between the sides")
    func mirroredWhenKindsDiffer() throws {
        // One request saw F only as inlined library code, the other as the user's (`G -> F`).
        func request(fKind: FrameKind) -> Profile {
            let frames = [
                Frame(name: "Shop.G() -> ()", image: "Shop", kind: .application),
                Frame(name: "Shop.F() -> ()", image: "Shop", kind: fKind),
            ]
            let sample = Sample(stack: [0, 1], timeNanoseconds: 0, wallNanoseconds: 10_000_000, cpuNanoseconds: 10_000_000, state: .running)
            let metadata = ProfileMetadata(startTime: 1_763_676_000, durationNanoseconds: 10_000_000, intervalNanoseconds: 1_000_000, cpuNanoseconds: 10_000_000, threadID: 1)
            return Profile(frames: frames, samples: [sample], metadata: metadata)
        }
        let library = request(fKind: .library), own = request(fKind: .application)
        let forward = ProfileDiff(before: [library], after: [own]).summary.frames
        let backward = ProfileDiff(before: [own], after: [library]).summary.frames
        for name in ["Shop.G()", "Shop.F()"] {
            let there = try #require(forward.first { $0.name == name }), back = try #require(backward.first { $0.name == name })
            #expect(there.changeNanosecondsPerRequest == -back.changeNanosecondsPerRequest, "\(name)")
            #expect(there.changeNanosecondsPerRequest == 0, "the same request on both sides: \(name)")
        }
    }

    @Test("an empty side takes nothing from the noise threshold: the other side's interval counts")
    func emptySideKeepsTheInterval() throws {
        // A 100 µs interval: 5 samples of F are 500 µs, a real change from nothing.
        let frames = [Frame(name: "Shop.F() -> ()", image: "Shop", kind: .application)]
        let samples = (0..<5).map { Sample(stack: [0], timeNanoseconds: UInt64($0) * 100_000, wallNanoseconds: 100_000, cpuNanoseconds: 100_000, state: .running) }
        let metadata = ProfileMetadata(startTime: 1_763_676_000, durationNanoseconds: 500_000, intervalNanoseconds: 100_000, cpuNanoseconds: 500_000, threadID: 1)
        let diff = ProfileDiff(before: [], after: [Profile(frames: frames, samples: samples, metadata: metadata)])
        let f = try #require(diff.summary.frames.first { $0.name == "Shop.F()" })
        #expect(f.noise == false, "threshold \(f.noiseThresholdNanoseconds) ns")
    }

    /// The noise rule took the coarsest interval of all the requests for every one of them:
    /// one request profiled every 10 ms among fifty every 100 µs made every change under 10 ms
    /// per request noise. Each request's sampling error is weighed by its own interval, and the
    /// floor is a set's mean interval.
    @Test("each request's sampling error is weighed by its own interval, not the coarsest")
    func intervalWeighedPerRequest() throws {
        let frames = [Frame(name: "Shop.F() -> ()", image: "Shop", kind: .application), Frame(name: "Shop.G() -> ()", image: "Shop", kind: .application)]
        /// `count` samples of `frame`, one every `interval` ns.
        func request(interval: UInt64, frame: Int, count: Int) -> Profile {
            let samples = (0..<count).map { Sample(stack: [frame], timeNanoseconds: UInt64($0) * interval, wallNanoseconds: interval, cpuNanoseconds: interval, state: .running) }
            let duration = UInt64(count) * interval
            let metadata = ProfileMetadata(startTime: 1_763_676_000, durationNanoseconds: duration, intervalNanoseconds: interval, cpuNanoseconds: duration, threadID: 1)
            return Profile(frames: frames, samples: samples, metadata: metadata)
        }
        // F: 2 ms in each of fifty requests, then 4 ms; one more request after, profiled
        // every 10 ms, spends its one sample in G.
        let before = (0..<50).map { _ in request(interval: 100_000, frame: 0, count: 20) }
        let after = (0..<50).map { _ in request(interval: 100_000, frame: 0, count: 40) } + [request(interval: 10_000_000, frame: 1, count: 1)]
        let f = try #require(ProfileDiff(before: before, after: after).summary.frames.first { $0.name == "Shop.F()" })
        #expect(f.changeNanosecondsPerRequest == 1_921_569)  // 50 × 4 ms / 51 − 2 ms
        #expect(!f.noise, "threshold \(f.noiseThresholdNanoseconds) ns")
        // The after set's mean interval, (50 × 0.1 + 10) / 51 ms, above 2·SE (about 0.27 ms).
        #expect(f.noiseThresholdNanoseconds == 294_118)
    }

    @Test("a function only in the after set is new, with its share of requests")
    func newFunction() throws {
        let before = [RequestFixtures.request(price: 10), RequestFixtures.request(price: 10)]
        let after = [RequestFixtures.request(price: 10, audit: 30), RequestFixtures.request(price: 10)]
        let diff = ProfileDiff(before: before, after: after)
        let audit = try #require(diff.summary.frames.first { $0.name == RequestFixtures.audit })
        #expect(audit.relativeChange == nil)
        #expect(audit.beforeRequestShare == 0)
        #expect(audit.afterRequestShare == 0.5)
        #expect(audit.changeNanosecondsPerRequest == 15_000_000)
    }

    @Test("html colors frames by change; speedscope, collapsed and pprof are refused")
    func formats() throws {
        let diff = ProfileDiff(before: Self.requests(price: 20), after: Self.requests(price: 40))
        let html = String(decoding: try diff.render(as: .html).bytes, as: UTF8.self)
        #expect(html.contains("\"changes\":["))
        #expect(html.contains("<tr class=\"slower\">"))
        #expect(html.contains("<tr class=\"noise\">"))
        for format in [ProfileFormat.speedscope, .collapsed, .pprof] {
            #expect(throws: DiffFormatError.self) { try diff.render(as: format) }
        }
        let json = try JSONDecoder().decode(JSONReport.self, from: Data(diff.render(as: .json).bytes))
        #expect(json.diff == diff.summary)
    }
}
