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

    /// `node` and its subtree, cut below ``JSONReport/deepestNodeLevel`` (`cutNodes` counts the
    /// nodes left out; their time stays in the totals of the node that was cut).
    init(node: CallTreeNode, frames: [Frame], level: Int, cutNodes: inout Int) {
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
        if level >= JSONReport.deepestNodeLevel, !node.children.isEmpty {
            cutNodes += node.children.count
            children = []
        } else {
            var children: [JSONReportNode] = []
            children.reserveCapacity(node.children.count)
            for child in node.children {
                children.append(JSONReportNode(node: child, frames: frames, level: level + 1, cutNodes: &cutNodes))
            }
            self.children = children
        }
    }
}
