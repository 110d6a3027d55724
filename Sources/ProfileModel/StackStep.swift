/// One visible step of a processed stack: a frame, plus how many hidden frames it stands for.
public struct StackStep: Sendable, Hashable {
    public var frameIndex: Int
    /// Frames collapsed into this step (the rest of a run of hidden frames, or merged recursion).
    public var hiddenFrameCount: Int

    public init(frameIndex: Int, hiddenFrameCount: Int = 0) {
        self.frameIndex = frameIndex
        self.hiddenFrameCount = hiddenFrameCount
    }
}
