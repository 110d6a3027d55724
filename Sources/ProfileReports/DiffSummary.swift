/// What a differential report adds: the two request sets and, per frame, how its time per
/// request changed from `before` to `after`, largest absolute change first. Computed by
/// module `ProfileAggregate`; carried by `RenderOptions.diff` so the ordinary renderers show
/// it (a ranked list in text, colors in html, a `diff` object in json).
public struct DiffSummary: Sendable, Hashable, Codable {
    public var before: RequestSetSummary
    public var after: RequestSetSummary
    /// The rule that marked changes as noise, in words, so a reader of the json knows it.
    public var noiseRule: String
    public var frames: [FrameChange]

    public init(before: RequestSetSummary, after: RequestSetSummary, noiseRule: String, frames: [FrameChange]) {
        self.before = before
        self.after = after
        self.noiseRule = noiseRule
        self.frames = frames
    }
}

/// One frame's change between two request sets. Times are self times per request (mean over
/// the set's requests): the time spent in the function itself, library calls hidden under it
/// and awaits it was suspended on included, so a function whose own work doubled ranks above
/// its callers, whose inclusive time grows by the same amount.
public struct FrameChange: Sendable, Hashable, Codable {
    /// Index into the report's `frames`.
    public var frame: Int
    public var name: String
    public var beforeNanosecondsPerRequest: UInt64
    public var afterNanosecondsPerRequest: UInt64
    /// `after - before`: positive is slower.
    public var changeNanosecondsPerRequest: Int64
    /// Inclusive (total) time per request, before and after, for context.
    public var beforeTotalNanosecondsPerRequest: UInt64
    public var afterTotalNanosecondsPerRequest: UInt64
    /// Share of each set's requests in which the frame appeared (0...1).
    public var beforeRequestShare: Double
    public var afterRequestShare: Double
    /// The smallest change this rule treats as real, for this frame.
    public var noiseThresholdNanoseconds: UInt64
    /// True when `|change|` is below `noiseThresholdNanoseconds`: within sampling error.
    public var noise: Bool

    public init(
        frame: Int, name: String, beforeNanosecondsPerRequest: UInt64, afterNanosecondsPerRequest: UInt64,
        beforeTotalNanosecondsPerRequest: UInt64, afterTotalNanosecondsPerRequest: UInt64,
        beforeRequestShare: Double, afterRequestShare: Double, noiseThresholdNanoseconds: UInt64
    ) {
        self.frame = frame
        self.name = name
        self.beforeNanosecondsPerRequest = beforeNanosecondsPerRequest
        self.afterNanosecondsPerRequest = afterNanosecondsPerRequest
        self.changeNanosecondsPerRequest = Int64(afterNanosecondsPerRequest) - Int64(beforeNanosecondsPerRequest)
        self.beforeTotalNanosecondsPerRequest = beforeTotalNanosecondsPerRequest
        self.afterTotalNanosecondsPerRequest = afterTotalNanosecondsPerRequest
        self.beforeRequestShare = beforeRequestShare
        self.afterRequestShare = afterRequestShare
        self.noiseThresholdNanoseconds = noiseThresholdNanoseconds
        self.noise = changeNanosecondsPerRequest.magnitude < noiseThresholdNanoseconds
    }

    /// `change / before`, or nil for a frame that is new.
    public var relativeChange: Double? {
        beforeNanosecondsPerRequest > 0 ? Double(changeNanosecondsPerRequest) / Double(beforeNanosecondsPerRequest) : nil
    }
}
