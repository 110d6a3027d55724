import ProfileModel
import ProfileReports

/// Many profiles of the same code merged into one: a shared frame table, every sample of
/// every request (offset in time so requests follow each other), and each request's time per
/// frame, from which the statistics of aggregate and diff reports come.
struct RequestSet {
    let profiles: [Profile]
    let frames: [Frame]
    let merged: Profile
    /// For each frame of the table, its times in the requests it appeared in (and which
    /// request), in request order: gathered by walking each request's own frames once, so
    /// that a frame's statistics read its appearances only, not every request of the set.
    let timesByFrame: [[(request: Int, times: RequestFrameTimes.Times)]]
    /// The mean sampling interval of the requests; 0 for none (an empty set's merged metadata
    /// has a default 1 ms, which would raise the noise threshold of a finer other set).
    let meanInterval: Double

    /// Merges `profiles`, optionally into a frame table that already holds other frames
    /// (a diff shares one table between its two sets).
    init(profiles: [Profile], table: inout FrameTable) {
        var samples: [Sample] = []
        var mappings: [[Int]] = []
        var offset: UInt64 = 0
        for profile in profiles {
            let shared = table.indices(for: profile)
            mappings.append(shared)
            // A profile rebuilt from a report shares one stack array among all the samples of a
            // node (the report's size bound counts on it): map it once and share the result,
            // or a node of 99,000 samples 25,000 frames deep would take 20 GB here.
            var source: [Int] = []
            var mapped: [Int] = []
            for sample in profile.samples {
                var copy = sample
                if !Self.isSameStorage(sample.stack, source) {
                    source = sample.stack
                    mapped = sample.stack.map { shared[$0] }
                }
                copy.stack = mapped
                copy.timeNanoseconds = sample.timeNanoseconds.saturatingAdding(offset)
                samples.append(copy)
            }
            offset = offset.saturatingAdding(max(profile.metadata.durationNanoseconds, profile.totalWallNanoseconds))
        }
        let frames = table.frames
        self.profiles = profiles
        self.frames = frames
        var timesByFrame = [[(request: Int, times: RequestFrameTimes.Times)]](repeating: [], count: frames.count)
        for (request, (profile, shared)) in zip(profiles, mappings).enumerated() {
            for (index, times) in RequestFrameTimes(profile: profile, shared: shared, frames: frames).times {
                timesByFrame[index].append((request, times))
            }
        }
        self.timesByFrame = timesByFrame
        meanInterval = profiles.isEmpty ? 0 : profiles.reduce(0.0) { $0 + Double($1.metadata.intervalNanoseconds) } / Double(profiles.count)
        merged = Profile(frames: frames, samples: samples, metadata: Self.metadata(of: profiles))
    }

    /// True when `a` and `b` are one array (the same storage), which is cheaper to tell than
    /// whether they are equal. Empty arrays count as different (they may share the empty
    /// singleton, and cost nothing to map).
    static func isSameStorage(_ a: [Int], _ b: [Int]) -> Bool {
        guard a.count == b.count, !a.isEmpty else { return false }
        return a.withUnsafeBufferPointer { first in b.withUnsafeBufferPointer { first.baseAddress == $0.baseAddress } }
    }

    var summary: RequestSetSummary {
        RequestSetSummary(
            requestCount: profiles.count,
            firstStartTime: profiles.map(\.metadata.startTime).min() ?? 0,
            lastEndTime: profiles.map { $0.metadata.startTime + Double($0.metadata.durationNanoseconds) / 1e9 }.max() ?? 0
        )
    }

    /// The profiles' notes, each once, in order, and at most ``JSONReport/mostNotes`` less one
    /// (left for the note a json report adds), so that a merge of many reports still loads.
    static func distinctNotes(of profiles: [Profile]) -> [String] {
        let most = JSONReport.mostNotes - 1
        var seen = Set<String>()
        var notes = profiles.flatMap(\.metadata.notes).filter { seen.insert($0).inserted }
        if notes.count > most {
            let leftOut = notes.count - (most - 1)
            notes.removeLast(leftOut)
            notes.append("\(leftOut) more notes of the merged reports are left out")
        }
        return notes
    }

    /// The merged profile's metadata: sums of times and sampler counters, the earliest start,
    /// and the request (method and route) when all requests share it.
    static func metadata(of profiles: [Profile]) -> ProfileMetadata {
        let requests = profiles.compactMap(\.metadata.request)
        var request: RequestInfo?
        if let first = requests.first, requests.count == profiles.count,
           requests.allSatisfy({ $0.method == first.method && ($0.route ?? $0.path) == (first.route ?? first.path) }) {
            let statuses = Set(requests.compactMap(\.status))
            request = RequestInfo(method: first.method, path: first.route ?? first.path, route: first.route, status: statuses.count == 1 ? statuses.first : nil)
        }
        let notes = distinctNotes(of: profiles)
        return ProfileMetadata(
            startTime: profiles.map(\.metadata.startTime).min() ?? 0,
            durationNanoseconds: profiles.map(\.metadata.durationNanoseconds).saturatingSum(),
            intervalNanoseconds: profiles.map(\.metadata.intervalNanoseconds).max() ?? 1_000_000,
            cpuNanoseconds: profiles.map(\.metadata.cpuNanoseconds).saturatingSum(),
            missedSamples: profiles.reduce(0) { $0 + $1.metadata.missedSamples },
            droppedSamples: profiles.reduce(0) { $0 + $1.metadata.droppedSamples },
            threadID: 0,
            truncated: profiles.contains { $0.metadata.truncated },
            request: request,
            notes: notes
        )
    }

    /// Every request's `value` of frame `index`, 0 where the frame did not appear.
    func values(of index: Int, _ value: (RequestFrameTimes.Times) -> UInt64) -> RequestValues {
        RequestValues(listed: timesByFrame[index].map { value($0.times) }, requestCount: profiles.count)
    }

    /// ``values(of:_:)`` with each listed request's sampling interval, for the noise rule.
    func sampledTimes(of index: Int, _ value: (RequestFrameTimes.Times) -> UInt64) -> SampledTimes {
        SampledTimes(
            values: values(of: index, value),
            listedIntervals: timesByFrame[index].map { profiles[$0.request].metadata.intervalNanoseconds },
            meanInterval: meanInterval)
    }

    /// In how many requests frame `index` appeared.
    func appearances(of index: Int) -> Int {
        timesByFrame[index].count
    }
}
