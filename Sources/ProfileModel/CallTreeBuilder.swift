/// Mutable nodes used only while the tree is being built, then frozen into value types.
/// Nodes live in one array and refer to each other by index: no per-node allocation, no
/// reference counting and no dynamic exclusivity checks on the hot path.
struct CallTreeBuilder {
    struct Node {
        let frameIndex: Int?
        var hidden = 0
        var totalWall: UInt64 = 0, selfWall: UInt64 = 0
        var totalCPU: UInt64 = 0, selfCPU: UInt64 = 0
        var totalAwait: UInt64 = 0
        var samples = 0
        /// Children (indices into `nodes`) in order of first appearance. Most nodes have a
        /// handful, which a linear scan finds faster than hashing; `index` takes over for wide nodes.
        var children: [Int] = []
        var index: [Int: Int]?
        init(frameIndex: Int?) { self.frameIndex = frameIndex }
    }

    /// The summed weights of the samples that share one stack.
    struct Weights {
        var wall: UInt64 = 0, cpu: UInt64 = 0, awaitWall: UInt64 = 0
        var samples = 0

        init(_ sample: Sample) { add(sample) }

        mutating func add(_ sample: Sample) {
            wall += sample.wallNanoseconds
            cpu += sample.cpuNanoseconds
            awaitWall += sample.state == .suspended ? sample.wallNanoseconds : 0
            samples += 1
        }
    }

    /// `nodes[0]` is the synthetic root.
    private var nodes = [Node(frameIndex: nil)]

    mutating func add(_ stack: [StackStep], weights: Weights) {
        var node = 0
        account(node, weights)
        for step in stack {
            let child = child(of: node, frameIndex: step.frameIndex)
            nodes[child].hidden = max(nodes[child].hidden, step.hiddenFrameCount)
            account(child, weights)
            node = child
        }
        nodes[node].selfWall += weights.wall
        nodes[node].selfCPU += weights.cpu
    }

    private mutating func child(of parent: Int, frameIndex: Int) -> Int {
        if let index = nodes[parent].index {
            if let existing = index[frameIndex] { return existing }
        } else if let existing = nodes[parent].children.first(where: { nodes[$0].frameIndex == frameIndex }) {
            return existing
        }
        let child = nodes.count
        nodes.append(Node(frameIndex: frameIndex))
        nodes[parent].children.append(child)
        if nodes[parent].index != nil {
            nodes[parent].index?[frameIndex] = child
        } else if nodes[parent].children.count > 8 {
            nodes[parent].index = Dictionary(uniqueKeysWithValues: nodes[parent].children.map { (nodes[$0].frameIndex ?? -1, $0) })
        }
        return child
    }

    private mutating func account(_ node: Int, _ weights: Weights) {
        nodes[node].totalWall += weights.wall
        nodes[node].totalCPU += weights.cpu
        nodes[node].totalAwait += weights.awaitWall
        nodes[node].samples += weights.samples
    }

    func freeze() -> CallTreeNode { freeze(0) }

    private func freeze(_ index: Int) -> CallTreeNode {
        let node = nodes[index]
        let children = node.children.map(freeze)
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
