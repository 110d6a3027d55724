/// A pure transformation of one root-first stack, applied before the call tree is built.
///
/// Implementation requirements:
/// - Be a pure function of the stack and the frame table: no state carried between calls, so
///   the same profile always yields the same tree.
/// - Keep the order root first; never reorder steps, only drop or merge them.
/// - Preserve the total of `hiddenFrameCount + 1` over the steps it merges, so reports can say
///   how many frames a node stands for.
public protocol StackProcessor: Sendable {
    func process(_ stack: [StackStep], frames: [Frame]) -> [StackStep]

    /// The processor to run over the stacks of a profile with this frame table: a chance to
    /// decide per frame once what would otherwise be decided per step of every stack. By
    /// default the processor itself.
    func prepared(for frames: [Frame]) -> any StackProcessor
}

extension StackProcessor {
    public func prepared(for frames: [Frame]) -> any StackProcessor { self }
}
