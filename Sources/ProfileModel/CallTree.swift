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
        let processors = processors.map { $0.prepared(for: profile.frames) }
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
        // A fraction of infinity, NaN or one whose product passes UInt64 (set in code, or a
        // saved report's 0...100) folds everything, or nothing, instead of trapping.
        let product = Double(root.totalWallNanoseconds) * minimumFraction
        let threshold: UInt64 = product.isNaN ? 0 : (product >= 1.8e19 ? .max : UInt64(max(0, product)))
        func prune(_ node: CallTreeNode) -> CallTreeNode {
            var copy = node
            copy.children = node.children.filter { $0.totalWallNanoseconds >= threshold && $0.totalWallNanoseconds > 0 }.map(prune)
            return copy
        }
        return CallTree(root: prune(root), frames: frames)
    }
}
