/// Merges directly repeated frames (`fib -> fib -> fib`) into one step, so recursion reads
/// as one node with its total instead of a staircase. Run after hiding, recursion through
/// hidden library frames merges too.
public struct MergeRecursionProcessor: StackProcessor {
    public init() {}

    public func process(_ stack: [StackStep], frames: [Frame]) -> [StackStep] {
        var result: [StackStep] = []
        result.reserveCapacity(stack.count)
        for step in stack {
            if let last = result.last, last.frameIndex == step.frameIndex {
                result[result.count - 1].hiddenFrameCount += 1 + step.hiddenFrameCount
            } else {
                result.append(step)
            }
        }
        return result
    }
}
