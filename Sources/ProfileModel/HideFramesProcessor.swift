/// Collapses runs of uninteresting frames (library, runtime, executor...) the way pyinstrument
/// groups library frames: the first frame of a run stays visible, as the entry point into the
/// library, and carries the count of the frames hidden behind it. `.profiler` frames are
/// removed outright: they are the profiler's own machinery, never the user's business.
public struct HideFramesProcessor: StackProcessor {
    let isHidden: @Sendable (Frame) -> Bool

    public init(options: CallTreeOptions) {
        let hide = options.hidePatterns.map(FramePattern.init)
        let show = options.showPatterns.map(FramePattern.init)
        let kinds = options.hiddenKinds
        isHidden = { frame in
            if show.contains(where: { $0.matches(frame.name) }) { return false }
            return kinds.contains(frame.kind) || hide.contains(where: { $0.matches(frame.name) })
        }
    }

    public func process(_ stack: [StackStep], frames: [Frame]) -> [StackStep] {
        var result: [StackStep] = []
        result.reserveCapacity(stack.count)
        var inHiddenRun = false
        for step in stack {
            let frame = frames[step.frameIndex]
            if frame.kind == .profiler { continue }
            if isHidden(frame) {
                if inHiddenRun, let last = result.indices.last {
                    result[last].hiddenFrameCount += 1 + step.hiddenFrameCount
                } else {
                    result.append(step)
                    inHiddenRun = true
                }
            } else {
                result.append(step)
                inHiddenRun = false
            }
        }
        return result
    }
}
