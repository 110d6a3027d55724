import ProfileModel
import ProfileReports

extension Profile {
    /// The formats that carry every frame of every stack, with no tree to fold repeats in.
    static let stackFormats: Set<ProfileFormat> = [.speedscope, .collapsed, .pprof]

    /// This profile, rebuilt from saved reports, for a format that carries whole stacks.
    ///
    /// A rebuilt stack repeats a node's frame for each frame the report had hidden under it
    /// (see `Profile(report:)`): the call-tree formats fold the run back into one node with
    /// its "[N frames hidden]" count, but speedscope, collapsed stacks and pprof showed it as
    /// recursion (`start_thread;start_thread;start_thread;App...`). Here the run of a frame the
    /// report hid (by `options`, the report's own tree options) is one frame; the run of a
    /// frame it showed is its recursion (the report merged it), so it is kept.
    ///
    /// Samples that share one stack array keep sharing the folded one: a merge of reports
    /// holds stacks tens of thousands of frames deep for thousands of samples.
    func foldingRebuiltRuns(hiddenBy options: CallTreeOptions) -> Profile {
        let hiding = HideFramesProcessor(options: options)
        let folds = frames.map { options.showAllFrames ? false : hiding.isHidden(kind: $0.kind, name: $0.name) }
        var folded = samples
        var lastStack: [Int]?
        var lastFolded: [Int] = []
        for index in folded.indices {
            let stack = folded[index].stack
            if let last = lastStack, last == stack {
                folded[index].stack = lastFolded
                continue
            }
            var result: [Int] = []
            result.reserveCapacity(stack.count)
            for frame in stack {
                if let previous = result.last, previous == frame, folds[frame] { continue }
                result.append(frame)
            }
            let kept = result.count == stack.count ? stack : result
            folded[index].stack = kept
            lastStack = stack
            lastFolded = kept
        }
        return Profile(frames: frames, samples: folded, metadata: metadata)
    }
}
