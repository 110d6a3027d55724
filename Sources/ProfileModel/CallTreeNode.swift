/// A node of a call tree: one frame reached through one path, with its times summed over the
/// samples that passed through it.
public struct CallTreeNode: Sendable, Hashable {
    /// Index into the profile's frame table; nil for the synthetic root.
    public var frameIndex: Int?
    /// Hidden frames this node stands for (the largest count seen on any sample).
    public var hiddenFrameCount: Int
    /// Wall time of every sample through this node, in nanoseconds.
    public var totalWallNanoseconds: UInt64
    /// Wall time of the samples whose (processed) leaf is this node.
    public var selfWallNanoseconds: UInt64
    public var totalCPUNanoseconds: UInt64
    public var selfCPUNanoseconds: UInt64
    /// Wall time of suspended samples (the task was awaiting) through this node.
    public var totalAwaitNanoseconds: UInt64
    public var sampleCount: Int
    /// Children, heaviest (total wall time) first.
    public var children: [CallTreeNode]

    public init(
        frameIndex: Int?,
        hiddenFrameCount: Int = 0,
        totalWallNanoseconds: UInt64 = 0,
        selfWallNanoseconds: UInt64 = 0,
        totalCPUNanoseconds: UInt64 = 0,
        selfCPUNanoseconds: UInt64 = 0,
        totalAwaitNanoseconds: UInt64 = 0,
        sampleCount: Int = 0,
        children: [CallTreeNode] = []
    ) {
        self.frameIndex = frameIndex
        self.hiddenFrameCount = hiddenFrameCount
        self.totalWallNanoseconds = totalWallNanoseconds
        self.selfWallNanoseconds = selfWallNanoseconds
        self.totalCPUNanoseconds = totalCPUNanoseconds
        self.selfCPUNanoseconds = selfCPUNanoseconds
        self.totalAwaitNanoseconds = totalAwaitNanoseconds
        self.sampleCount = sampleCount
        self.children = children
    }

    /// Wall time not spent on the CPU (blocked, descheduled or awaiting).
    public var totalWaitNanoseconds: UInt64 {
        totalWallNanoseconds > totalCPUNanoseconds ? totalWallNanoseconds - totalCPUNanoseconds : 0
    }

    /// Visits this node and its descendants depth first, parents before children.
    public func forEach(depth: Int = 0, _ body: (CallTreeNode, Int) throws -> Void) rethrows {
        try body(self, depth)
        for child in children { try child.forEach(depth: depth + 1, body) }
    }
}
