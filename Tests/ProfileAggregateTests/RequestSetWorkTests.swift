import ProfileModel
import Testing

@testable import ProfileAggregate

/// The work of a merge's and a diff's statistics, counted rather than timed: each frame's
/// per-request values are held (and read) for the requests it appeared in only. Held densely,
/// 2,000 reports of 2,000 distinct frames each made 4 million frames of 2,000 values, read six
/// times each.
@Suite("Statistics read each request's own frames")
struct RequestSetWorkTests {
    /// `count` requests, each of `main` and `own` frames that no other request has, every
    /// frame on one stack of 1 ms samples.
    private func requests(_ count: Int, ownFrames own: Int) -> [Profile] {
        (0..<count).map { request in
            let frames = [Frame(name: "main", image: "Shop", kind: .application)]
                + (0..<own).map { Frame(name: "Shop.step\(request)_\($0)()", image: "Shop", kind: .application) }
            let samples = (1...own).map { depth in
                Sample(stack: Array(0...depth), timeNanoseconds: UInt64(depth) * 1_000_000, wallNanoseconds: 1_000_000, cpuNanoseconds: 1_000_000, state: .running)
            }
            let metadata = ProfileMetadata(startTime: 1_763_676_000, durationNanoseconds: UInt64(own) * 1_000_000, intervalNanoseconds: 1_000_000, cpuNanoseconds: UInt64(own) * 1_000_000, threadID: 1)
            return Profile(frames: frames, samples: samples, metadata: metadata)
        }
    }

    @Test("a frame's values are held for the requests it appeared in, not for every request")
    func valuesHeldPerAppearance() {
        let count = 200, own = 50
        var table = FrameTable()
        let set = RequestSet(profiles: requests(count, ownFrames: own), table: &table)
        #expect(set.frames.count == 1 + count * own)
        let held = set.frames.indices.reduce(0) { $0 + set.values(of: $1) { $0.total }.listed.count }
        // The requests' own frames (51 each), not 200 values for each of 10,001 frames.
        #expect(held == count * (own + 1))
        let main = set.values(of: 0) { $0.total }
        #expect(main.listed.count == count && main.requestCount == count)
        #expect(set.values(of: 1) { $0.total }.listed.count == 1)
    }

    @Test("statistics of frames absent from most requests count those requests as 0")
    func absentRequestsCountAsZero() throws {
        let aggregate = AggregateProfile(profiles: requests(20, ownFrames: 3))
        let main = try #require(aggregate.summary.frames.first { $0.name == "main" })
        #expect(main.requestCount == 20)
        #expect(main.medianNanoseconds == 3_000_000)
        // The deepest frame of request 7: 1 ms there, 0 in the 19 others.
        let step = try #require(aggregate.summary.frames.first { $0.name == "Shop.step7_2()" })
        #expect(step.requestCount == 1)
        #expect(step.wallNanoseconds == 1_000_000)
        #expect(step.medianNanoseconds == 0)
        #expect(step.p95Nanoseconds == 50_000)  // rank 18.05 of 20: 0.05 × 1 ms
    }

    @Test("values held sparsely give the dense array's sum, mean, percentiles and variance")
    func sparseMatchesDense() {
        let dense: [UInt64] = [0, 3_000, 0, 0, 0, 8_000, 0, 0, 1_000]
        let sparse = RequestValues(listed: [3_000, 8_000, 0, 1_000], requestCount: dense.count)
        let full = RequestValues(dense)
        #expect(sparse.sum == full.sum)
        #expect(sparse.mean == full.mean)
        for fraction in [0, 0.5, 0.8, 0.95, 1] {
            #expect(sparse.percentile(fraction) == full.percentile(fraction))
        }
        #expect(abs(sparse.varianceOfMean - full.varianceOfMean) <= full.varianceOfMean * 1e-12)
        #expect(RequestValues(listed: [], requestCount: 0).percentile(0.5) == 0)
    }
}
