import ProfileModel

extension Profile {
    /// Rebuilds a renderable profile from a saved json report, so a report written earlier
    /// (to disk, by auto-capture) can be shown again in any format, merged or diffed.
    ///
    /// A json report keeps the call tree, not the samples, so the profile is rebuilt from the
    /// tree: each node's self time becomes samples on that node's stack (the frames from the
    /// root down to it, indices into the report's frame table), with the node's self CPU on
    /// them and its self await time on separate `.suspended` samples. The self sample count
    /// of each node is kept, so the header's sample count matches. Time folded into a node by
    /// the report's threshold counts as the node's self time, so every total is kept.
    ///
    /// A node that stood for hidden frames (`hiddenFrameCount` h) appears h + 1 times in a
    /// row on the rebuilt stacks: hiding (for a library frame) or recursion merging (for an
    /// application frame) folds the run back into one node with the same count. (Module
    /// ProfileAggregate folds a library frame's run to one frame for speedscope, collapsed
    /// stacks and pprof, which have no tree to fold it in.)
    ///
    /// Rendered with the report's own tree options (`RenderOptions(reportTree:)`), the text,
    /// html and json reports of the rebuilt profile equal the original's. What cannot come
    /// back: the frames the report had already hidden (showing all frames shows only those
    /// the report kept), the order of samples in time (speedscope's time-ordered view shows
    /// the tree's order), and code addresses (pprof locations get address 0).
    public init(report: JSONReport) {
        let frames = report.frames.map(Frame.init(reportFrame:))
        var rebuilder = ReportSampleRebuilder()
        for child in report.root.children {
            rebuilder.add(child, parentStack: [])
        }
        rebuilder.addSelf(of: report.root, stack: [])
        self.init(frames: frames, samples: rebuilder.samples, metadata: report.metadata)
    }
}

extension Frame {
    /// The frame a json report's frame table describes; the address is not saved, so it is 0.
    public init(reportFrame: JSONReportFrame) {
        self.init(name: reportFrame.name, image: reportFrame.image, file: reportFrame.file, line: reportFrame.line, kind: reportFrame.kind)
    }
}

extension RenderOptions {
    /// The options a report's tree was shaped with: rendering a profile rebuilt from the
    /// report with these reproduces the report's tree. A threshold of 0 (nothing was folded,
    /// the json default) leaves each format its own default threshold.
    public init(reportTree tree: JSONReportTreeOptions) {
        self.init(
            showAllFrames: tree.showAllFrames,
            hidePatterns: tree.hidePatterns,
            showPatterns: tree.showPatterns,
            threshold: tree.threshold > 0 ? tree.threshold : nil
        )
    }
}

/// Walks a report's tree and emits the samples that rebuild it.
private struct ReportSampleRebuilder {
    var samples: [Sample] = []
    private var time: UInt64 = 0

    mutating func add(_ node: JSONReportNode, parentStack: [Int]) {
        guard let frame = node.frame else { return }
        let stack = parentStack + Array(repeating: frame, count: node.hiddenFrameCount + 1)
        addSelf(of: node, stack: stack)
        for child in node.children {
            add(child, parentStack: stack)
        }
    }

    /// Emits the node's own time: its self time plus whatever its children do not account
    /// for (time the report's threshold folded into it).
    mutating func addSelf(of node: JSONReportNode, stack: [Int]) {
        let childWall = node.children.reduce(0) { $0 + $1.totalNanoseconds }
        let childCPU = node.children.reduce(0) { $0 + $1.cpuNanoseconds }
        let childAwait = node.children.reduce(0) { $0 + $1.awaitNanoseconds }
        let childSamples = node.children.reduce(0) { $0 + $1.sampleCount }
        let wall = node.totalNanoseconds.subtractingClamped(childWall)
        let cpu = node.cpuNanoseconds.subtractingClamped(childCPU)
        let awaitWall = min(node.awaitNanoseconds.subtractingClamped(childAwait), wall)
        let count = max(0, node.sampleCount - childSamples)
        // An empty stack is the root's own time: samples whose every frame was hidden.
        guard wall > 0 || cpu > 0 || count > 0 else { return }

        let runningWall = wall - awaitWall
        // Split the samples between the running and the suspended time in proportion.
        var suspendedCount = 0
        if awaitWall > 0 {
            suspendedCount = runningWall == 0 && cpu == 0 ? max(count, 1) : Int((Double(count) * Double(awaitWall) / Double(wall)).rounded())
            suspendedCount = max(1, suspendedCount)
        }
        var runningCount = max(0, count - suspendedCount)
        if runningCount == 0 && (runningWall > 0 || cpu > 0) { runningCount = 1 }
        append(stack: stack, count: runningCount, wall: runningWall, cpu: cpu, state: .running)
        append(stack: stack, count: suspendedCount, wall: awaitWall, cpu: 0, state: .suspended)
    }

    /// `count` samples sharing `wall` and `cpu` as evenly as whole nanoseconds allow.
    private mutating func append(stack: [Int], count: Int, wall: UInt64, cpu: UInt64, state: SampleState) {
        guard count > 0 else { return }
        let n = UInt64(count)
        for index in 0..<n {
            let sampleWall = wall / n + (index < wall % n ? 1 : 0)
            let sampleCPU = cpu / n + (index < cpu % n ? 1 : 0)
            samples.append(Sample(stack: stack, timeNanoseconds: time, wallNanoseconds: sampleWall, cpuNanoseconds: sampleCPU, state: state))
            time += sampleWall
        }
    }
}

extension UInt64 {
    fileprivate func subtractingClamped(_ other: UInt64) -> UInt64 { self > other ? self - other : 0 }
}
