/// The call tree of a profile, built on demand with a set of processors (pyinstrument's
/// session -> tree -> processors design). The profile itself stays flat and untouched.
public struct CallTree: Sendable, Hashable {
    /// Synthetic root; its totals are the whole profile's.
    public var root: CallTreeNode
    /// The frame table the nodes index into (the profile's).
    public var frames: [Frame]

    public init(root: CallTreeNode, frames: [Frame]) {
        self.root = root
        self.frames = frames
    }

    /// Builds the tree of `profile`, running each stack through `processors` in order.
    ///
    /// A request's samples repeat a limited set of stacks (a hot loop is the same stack tick
    /// after tick), so each distinct stack is processed and inserted once with its samples'
    /// weights summed. The tree is the same as inserting sample by sample (sums do not depend
    /// on order and children are sorted at the end), at a fraction of the work: reports are
    /// rendered while a request waits.
    public init(profile: Profile, processors: [any StackProcessor]) {
        var builder = CallTreeBuilder()
        var indexByStack: [StackKey: Int] = [:]
        var distinct: [(stack: [Int], weights: CallTreeBuilder.Weights)] = []
        for sample in profile.samples {
            let key = StackKey(sample.stack)
            if let index = indexByStack[key] {
                distinct[index].weights.add(sample)
            } else {
                indexByStack[key] = distinct.count
                distinct.append((sample.stack, CallTreeBuilder.Weights(sample)))
            }
        }
        for (rawStack, weights) in distinct {
            var stack = rawStack.map { StackStep(frameIndex: $0) }
            for processor in processors { stack = processor.process(stack, frames: profile.frames) }
            builder.add(stack, weights: weights)
        }
        self.init(root: builder.freeze(), frames: profile.frames)
    }

    /// The standard processors for `options`: hide, then merge recursion.
    public static func processors(for options: CallTreeOptions) -> [any StackProcessor] {
        var processors: [any StackProcessor] = []
        if !options.showAllFrames { processors.append(HideFramesProcessor(options: options)) }
        if options.mergeRecursion { processors.append(MergeRecursionProcessor()) }
        return processors
    }

    /// The tree with every node whose total wall time is below `minimumFraction` of the root's
    /// removed (its time stays counted in its ancestors' totals). Reports use it to fold noise.
    public func pruned(minimumFraction: Double) -> CallTree {
        let threshold = UInt64(Double(root.totalWallNanoseconds) * minimumFraction)
        func prune(_ node: CallTreeNode) -> CallTreeNode {
            var copy = node
            copy.children = node.children.filter { $0.totalWallNanoseconds >= threshold && $0.totalWallNanoseconds > 0 }.map(prune)
            return copy
        }
        return CallTree(root: prune(root), frames: frames)
    }
}

/// Mutable nodes used only while the tree is being built, then frozen into value types.
/// Nodes live in one array and refer to each other by index: no per-node allocation, no
/// reference counting and no dynamic exclusivity checks on the hot path.
private struct CallTreeBuilder {
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
