/// Mutable nodes used only while the tree is being built, then frozen into value types.
final class CallTreeBuilder {
    final class Node {
        let frameIndex: Int?
        var hidden = 0
        var totalWall: UInt64 = 0, selfWall: UInt64 = 0
        var totalCPU: UInt64 = 0, selfCPU: UInt64 = 0
        var totalAwait: UInt64 = 0
        var samples = 0
        var children: [Int: Node] = [:]
        var order: [Int] = []
        init(frameIndex: Int?) { self.frameIndex = frameIndex }
    }

    let root = Node(frameIndex: nil)

    func add(_ stack: [StackStep], sample: Sample) {
        let awaitWall = sample.state == .suspended ? sample.wallNanoseconds : 0
        var node = root
        account(node, sample, awaitWall)
        for step in stack {
            let child: Node
            if let existing = node.children[step.frameIndex] {
                child = existing
            } else {
                child = Node(frameIndex: step.frameIndex)
                node.children[step.frameIndex] = child
                node.order.append(step.frameIndex)
            }
            child.hidden = max(child.hidden, step.hiddenFrameCount)
            account(child, sample, awaitWall)
            node = child
        }
        node.selfWall += sample.wallNanoseconds
        node.selfCPU += sample.cpuNanoseconds
    }

    private func account(_ node: Node, _ sample: Sample, _ awaitWall: UInt64) {
        node.totalWall += sample.wallNanoseconds
        node.totalCPU += sample.cpuNanoseconds
        node.totalAwait += awaitWall
        node.samples += 1
    }

    func freeze() -> CallTreeNode { freeze(root) }

    private func freeze(_ node: Node) -> CallTreeNode {
        let children = node.order.compactMap { node.children[$0] }.map(freeze)
            .sorted { ($0.totalWallNanoseconds, -($0.frameIndex ?? 0)) > ($1.totalWallNanoseconds, -($1.frameIndex ?? 0)) }
        return CallTreeNode(
            frameIndex: node.frameIndex,
            hiddenFrameCount: node.hidden,
            totalWallNanoseconds: node.totalWall,
            selfWallNanoseconds: node.selfWall,
            totalCPUNanoseconds: node.totalCPU,
            selfCPUNanoseconds: node.selfCPU,
            totalAwaitNanoseconds: node.totalAwait,
            sampleCount: node.samples,
            children: children
        )
    }
}
