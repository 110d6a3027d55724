import ProfileModel

/// One call-tree node of the json report. Name, file and line are repeated from the frame
/// table so that a consumer (`jq`, a script) can read a node on its own.
public struct JSONReportNode: Sendable, Hashable, Codable {
    /// Index into `frames`; absent on the root.
    public var frame: Int?
    public var name: String
    public var file: String?
    public var line: Int?
    public var kind: FrameKind?
    public var totalNanoseconds: UInt64
    public var selfNanoseconds: UInt64
    public var cpuNanoseconds: UInt64
    public var selfCPUNanoseconds: UInt64
    /// Wall time of samples taken while the task was suspended on an await.
    public var awaitNanoseconds: UInt64
    /// Wall time off the CPU (`total - cpu`): blocked, descheduled or suspended.
    public var waitNanoseconds: UInt64
    public var sampleCount: Int
    public var hiddenFrameCount: Int
    public var children: [JSONReportNode]

    init(node: CallTreeNode, frames: [Frame]) {
        let frame = node.frameIndex.map { frames[$0] }
        self.frame = node.frameIndex
        name = frame?.name ?? "(root)"
        file = frame?.file
        line = frame?.line
        kind = frame?.kind
        totalNanoseconds = node.totalWallNanoseconds
        selfNanoseconds = node.selfWallNanoseconds
        cpuNanoseconds = node.totalCPUNanoseconds
        selfCPUNanoseconds = node.selfCPUNanoseconds
        awaitNanoseconds = node.totalAwaitNanoseconds
        waitNanoseconds = node.totalWaitNanoseconds
        sampleCount = node.sampleCount
        hiddenFrameCount = node.hiddenFrameCount
        children = node.children.map { JSONReportNode(node: $0, frames: frames) }
    }
}
