/// Merges directly repeated frames (`fib -> fib -> fib`) into one step, so recursion reads
/// as one node with its total instead of a staircase. Recursion through hidden frames
/// (`f -> lib -> f`) is not merged: hiding keeps the hidden run as one step (its first frame,
/// counting the rest), which stands between the two calls.
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
