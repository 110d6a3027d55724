import RegexSafety

extension JSONReport {
    /// Largest time a saved report may hold in any one field: 2^50 ns, 13 days. Reports the
    /// profiler writes stay far below it (a profile lasts at most an hour; an aggregate sums
    /// at most as many); bounded values keep every sum the readers make (children, requests,
    /// frames) clear of an overflow trap.
    public static let largestNanoseconds: UInt64 = 1 << 50
    /// Largest count a saved report may hold (samples, requests): 2^40.
    public static let largestCount = 1 << 40
    /// Most samples that rebuilding a profile from a report may make (``Profile/init(report:)``
    /// makes one per node's own sample): 20 million, five times the sampler's own limit.
    public static let mostRebuiltSamples = 20_000_000
    /// Longest rebuilt stack: the path's frames, each repeated for the frames it hides.
    public static let longestRebuiltStack = 100_000
    /// Most frames all rebuilt samples may hold together (each sample's stack is hashed when
    /// the call tree is built, so the work is samples times depth, not either alone): 2.5
    /// billion, above four million samples (the sampler's limit) 600 frames deep (it keeps
    /// 256 frames, and the async frames libunwind completes on top).
    public static let mostRebuiltFrames = 2_500_000_000
    /// Most frames the rebuilt stacks hold in memory: each node's stack is its own array
    /// (shared by that node's samples), so a few thousand leaves under a 100,000-deep path
    /// would take gigabytes. 25 million frame indices, 200 MB; a 30-second profile of 30,000
    /// distinct 300-deep stacks holds 9 million.
    public static let mostStackFrames = 25_000_000
    /// Hide and show patterns a report may carry, and their longest text: they are compiled as
    /// regular expressions and run against every frame name when the report is rendered.
    public static let mostPatterns = 64
    public static let longestPattern = 256
    /// Most notes a report may carry: the profiler writes a handful; a merge keeps at most
    /// this many distinct ones (it compares every note with those kept).
    public static let mostNotes = 64

    /// What is wrong with a decoded report, in a few words naming the field; nil when nothing.
    ///
    /// JSON decoding checks types, not values, and a saved report is read back from a folder
    /// anyone with access can write to (by hand, another tool, a disk fault). Rebuilding and
    /// rendering index the frame table with the tree's indices and sum the tree's times, so a
    /// wrong index or an absurd value would trap the server that serves the report, or have it
    /// build billions of samples. The checks follow what the rebuild does.
    public var problem: String? { check.problem }

    /// ``problem`` and, for a report without one, what rebuilding its profile makes: what a
    /// merge of many reports adds up.
    public var check: (problem: String?, rebuilt: RebuildSize) {
        var walk = TreeCheck(frameCount: frames.count)
        let problem = walk.check(root, isRoot: true, field: "root", stackDepth: 0)
        return (metadataProblem ?? problem ?? otherProblem, walk.size)
    }

    /// The aggregate and diff sections' problems.
    private var otherProblem: String? {
        if let aggregate {
            if let problem = Self.problem(of: aggregate.requests, field: "aggregate.requests") { return problem }
            for (index, entry) in aggregate.frames.enumerated() {
                let field = "aggregate.frames[\(index)]"
                guard frames.indices.contains(entry.frame) else { return "\(field).frame: no such frame" }
                guard (0...Self.largestCount).contains(entry.requestCount) else { return "\(field).requestCount out of range" }
                let times = [entry.wallNanoseconds, entry.cpuNanoseconds, entry.awaitNanoseconds, entry.selfNanoseconds, entry.medianNanoseconds, entry.p95Nanoseconds]
                guard times.allSatisfy({ $0 <= Self.largestNanoseconds }) else { return "\(field): a time out of range" }
            }
        }
        if let diff {
            for (set, summary) in [("before", diff.before), ("after", diff.after)] {
                if let problem = Self.problem(of: summary, field: "diff.\(set)") { return problem }
            }
            for (index, change) in diff.frames.enumerated() {
                let field = "diff.frames[\(index)]"
                guard frames.indices.contains(change.frame) else { return "\(field).frame: no such frame" }
                let times = [
                    change.beforeNanosecondsPerRequest, change.afterNanosecondsPerRequest, change.beforeTotalNanosecondsPerRequest,
                    change.afterTotalNanosecondsPerRequest, change.noiseThresholdNanoseconds, change.changeNanosecondsPerRequest.magnitude,
                ]
                guard times.allSatisfy({ $0 <= Self.largestNanoseconds }) else { return "\(field): a time out of range" }
                guard [change.beforeRequestShare, change.afterRequestShare].allSatisfy({ (0...1).contains($0) }) else {
                    return "\(field): a request share outside 0...1"
                }
            }
        }
        return nil
    }

    private var metadataProblem: String? {
        // Seconds since 1970; pprof writes it in nanoseconds as an Int64 (up to the year 2262).
        guard (0...9e9).contains(metadata.startTime) else { return "metadata.startTime out of range" }
        guard metadata.durationNanoseconds <= Self.largestNanoseconds, metadata.cpuNanoseconds <= Self.largestNanoseconds else {
            return "metadata: a time out of range"
        }
        guard (1...Self.largestNanoseconds).contains(metadata.intervalNanoseconds) else { return "metadata.intervalNanoseconds out of range" }
        guard (0...Self.largestCount).contains(metadata.missedSamples), (0...Self.largestCount).contains(metadata.droppedSamples) else {
            return "metadata: a sample count out of range"
        }
        guard metadata.notes.count <= Self.mostNotes else { return "metadata.notes: more than \(Self.mostNotes) notes" }
        guard (0...100).contains(tree.threshold) else { return "tree.threshold outside 0...100" }
        for (field, patterns) in [("tree.hidePatterns", tree.hidePatterns), ("tree.showPatterns", tree.showPatterns)] {
            guard patterns.count <= Self.mostPatterns else { return "\(field): more than \(Self.mostPatterns) patterns" }
            for pattern in patterns {
                guard pattern.utf8.count <= Self.longestPattern else { return "\(field): a pattern longer than \(Self.longestPattern) bytes" }
                guard !NestedQuantifiers.found(in: pattern) else {
                    return "\(field): a pattern repeats a group that repeats or alternates (such as (a+)+ or (a|b)+), which can take exponential time to match"
                }
            }
        }
        return nil
    }

    private static func problem(of set: RequestSetSummary, field: String) -> String? {
        guard (0...largestCount).contains(set.requestCount) else { return "\(field).requestCount out of range" }
        guard (0...9e9).contains(set.firstStartTime), (0...9e9).contains(set.lastEndTime) else { return "\(field): a time out of range" }
        return nil
    }
}

/// The tree half of ``JSONReport/problem``: indices, ranges, and the sums the rebuild makes,
/// without overflow; counts the samples and stack depth the rebuild would make.
private struct TreeCheck {
    let frameCount: Int
    /// Samples, frames (``JSONReport/mostRebuiltFrames``), the depths of all nodes (the frames
    /// their stacks hold: ``JSONReport/mostStackFrames``) and wall time the rebuild makes.
    var size = RebuildSize()

    mutating func check(_ node: JSONReportNode, isRoot: Bool, field: String, stackDepth: Int) -> String? {
        var depth = stackDepth
        if !isRoot {
            // A node without a frame would be left out of the rebuild, its time with it.
            guard let frame = node.frame else { return "\(field).frame missing" }
            guard (0..<frameCount).contains(frame) else { return "\(field).frame: no such frame" }
            guard (0...JSONReport.longestRebuiltStack).contains(node.hiddenFrameCount) else { return "\(field).hiddenFrameCount out of range" }
            depth += node.hiddenFrameCount + 1
            guard depth <= JSONReport.longestRebuiltStack else { return "\(field): the stack is too deep" }
        }
        let times = [node.totalNanoseconds, node.selfNanoseconds, node.cpuNanoseconds, node.selfCPUNanoseconds, node.awaitNanoseconds, node.waitNanoseconds]
        guard times.allSatisfy({ $0 <= JSONReport.largestNanoseconds }) else { return "\(field): a time out of range" }
        guard (0...JSONReport.largestCount).contains(node.sampleCount) else { return "\(field).sampleCount out of range" }
        // The children's sums, as the rebuild takes them (each child's own values are checked
        // when its turn comes; the sums are checked here, whatever they hold).
        var childWall: UInt64 = 0
        var childCPU: UInt64 = 0
        var childAwait: UInt64 = 0
        var childSamples = 0
        for (index, child) in node.children.enumerated() {
            // Checked here too, before the sums: a negative count would overflow them.
            guard (0...JSONReport.largestCount).contains(child.sampleCount) else {
                return "\(field).children[\(index)].sampleCount out of range"
            }
            let wall = childWall.addingReportingOverflow(child.totalNanoseconds)
            let cpu = childCPU.addingReportingOverflow(child.cpuNanoseconds)
            let awaited = childAwait.addingReportingOverflow(child.awaitNanoseconds)
            guard !wall.overflow, !cpu.overflow, !awaited.overflow else { return "\(field): the children's times overflow" }
            (childWall, childCPU, childAwait) = (wall.partialValue, cpu.partialValue, awaited.partialValue)
            childSamples += min(child.sampleCount, JSONReport.largestCount)
            guard childSamples <= JSONReport.largestCount * 4 else { return "\(field): the children's sample counts are out of range" }
        }
        // The rebuild makes the node's own samples (at most two more for its running and
        // suspended time) and its own wall time.
        let ownSamples = max(0, node.sampleCount - childSamples) + 2
        size.samples += ownSamples
        guard size.samples <= JSONReport.mostRebuiltSamples else { return "the tree stands for more than \(JSONReport.mostRebuiltSamples) samples" }
        // At most 2^40 + 2 samples times 100,000 frames: no overflow before the check.
        size.frames += ownSamples * max(depth, 1)
        size.stackFrames += depth
        guard size.stackFrames <= JSONReport.mostStackFrames else {
            return "the tree's stacks hold more than \(JSONReport.mostStackFrames) frames in all"
        }
        guard size.frames <= JSONReport.mostRebuiltFrames else {
            return "the tree's samples hold more than \(JSONReport.mostRebuiltFrames) stack frames in all"
        }
        let (total, overflow) = size.wallNanoseconds.addingReportingOverflow(node.totalNanoseconds > childWall ? node.totalNanoseconds - childWall : 0)
        guard !overflow, total <= JSONReport.largestNanoseconds * 16 else { return "the tree's times add up beyond range" }
        size.wallNanoseconds = total
        // CPU as the rebuild gives it, bounded the same way: 16,383 leaves of 2^50 ns under
        // each of two parents passed the children's sums and overflowed a frame's CPU in a merge.
        let (cpu, cpuOverflow) = size.cpuNanoseconds.addingReportingOverflow(node.cpuNanoseconds > childCPU ? node.cpuNanoseconds - childCPU : 0)
        guard !cpuOverflow, cpu <= JSONReport.largestNanoseconds * 16 else { return "the tree's times add up beyond range" }
        size.cpuNanoseconds = cpu
        for (index, child) in node.children.enumerated() {
            if let problem = check(child, isRoot: false, field: "\(field).children[\(index)]", stackDepth: depth) { return problem }
        }
        return nil
    }
}
