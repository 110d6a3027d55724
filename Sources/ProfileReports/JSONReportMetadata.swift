import ProfileModel

/// The profile's metadata as the json report states it: the sampler's own facts plus the
/// sample count and totals a consumer would otherwise recompute.
public struct JSONReportMetadata: Sendable, Hashable, Codable {
    public var startTime: Double
    public var durationNanoseconds: UInt64
    public var intervalNanoseconds: UInt64
    public var cpuNanoseconds: UInt64
    public var sampleCount: Int
    public var totalWallNanoseconds: UInt64
    public var missedSamples: Int
    public var droppedSamples: Int
    public var threadID: Int
    public var truncated: Bool
    public var request: RequestInfo?
    public var notes: [String]

    init(profile: Profile) {
        let metadata = profile.metadata
        startTime = metadata.startTime
        durationNanoseconds = metadata.durationNanoseconds
        intervalNanoseconds = metadata.intervalNanoseconds
        cpuNanoseconds = metadata.cpuNanoseconds
        sampleCount = profile.sampleCount
        totalWallNanoseconds = profile.totalWallNanoseconds
        missedSamples = metadata.missedSamples
        droppedSamples = metadata.droppedSamples
        threadID = metadata.threadID
        truncated = metadata.truncated
        request = metadata.request
        notes = metadata.notes
    }
}
