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
    public init(profile: Profile, processors: [any StackProcessor]) {
        let builder = CallTreeBuilder()
        for sample in profile.samples {
            var stack = sample.stack.map { StackStep(frameIndex: $0) }
            for processor in processors { stack = processor.process(stack, frames: profile.frames) }
            builder.add(stack, sample: sample)
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
private final class CallTreeBuilder {
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
