/// One profiled piece of work: a frame table, the samples that point into it, and metadata.
///
/// This is the only thing renderers see. It is a plain value (no sampler, no symbolizer, no
/// HTTP) so that every report format is a pure function of it and can be tested on fixtures.
///
/// Stacks are stored root first as indices into `frames`, the layout speedscope and folded
/// stacks use; pprof, which wants leaf first, reverses them.
public struct Profile: Sendable, Hashable, Codable {
    /// Distinct functions seen in any sample, referenced by index from `Sample.stack`.
    public var frames: [Frame]
    /// Samples in the order they were taken.
    public var samples: [Sample]
    public var metadata: ProfileMetadata

    public init(frames: [Frame], samples: [Sample], metadata: ProfileMetadata) {
        self.frames = frames
        self.samples = samples
        self.metadata = metadata
    }

    /// Number of samples recorded (after dropping none: dropped ones were never recorded).
    public var sampleCount: Int { samples.count }

    /// Sum of the samples' wall-clock weights, in nanoseconds.
    public var totalWallNanoseconds: UInt64 { samples.reduce(0) { $0 + $1.wallNanoseconds } }

    /// Sum of the samples' thread CPU time, in nanoseconds.
    public var totalCPUNanoseconds: UInt64 { samples.reduce(0) { $0 + $1.cpuNanoseconds } }
}
