import ProfileModel

/// One request's time per frame (indices into a shared `FrameTable`).
///
/// Samples are grouped by stack first (a hot loop repeats one stack tick after tick, and a
/// profile rebuilt from a report has one stack per node), and a frame that appears twice on
/// a stack (recursion) is counted once per sample through a "last seen" mark per frame. The
/// marks and the times are held for the request's own frames only, not for the shared table:
/// an array of the table's size for each request made a merge of 2,000 reports of 2,000
/// distinct frames each write 8 billion marks. Building is linear in the request's samples
/// and the frames of its distinct stacks.
struct RequestFrameTimes {
    struct Times {
        /// Wall time of the samples whose stack contains the frame (once per sample).
        var total: UInt64 = 0
        var cpu: UInt64 = 0
        var awaitWall: UInt64 = 0
        /// Wall time of the samples whose leaf is the frame.
        var leaf: UInt64 = 0
        /// Leaf time, given to the deepest frame a report shows by default: library,
        /// runtime and system code and awaits count for the function that called or awaited
        /// them (as the diff's docs promise). What a diff compares.
        var own: UInt64 = 0
    }

    /// Kinds whose time goes to the frame above them: those hidden by default, and awaits.
    static let ownerSkippedKinds = CallTreeOptions().hiddenKinds.union([.await])

    var times: [Int: Times] = [:]

    /// `profile`'s samples, with its frame indices mapped through `shared`.
    init(profile: Profile, shared: [Int], frames: [Frame]) {
        var indexByStack: [StackKey: Int] = [:]
        var stacks: [(stack: [Int], wall: UInt64, cpu: UInt64, awaitWall: UInt64)] = []
        for sample in profile.samples {
            let key = StackKey(sample.stack)
            let awaitWall = sample.state == .suspended ? sample.wallNanoseconds : 0
            if let index = indexByStack[key] {
                stacks[index].wall += sample.wallNanoseconds
                stacks[index].cpu += sample.cpuNanoseconds
                stacks[index].awaitWall += awaitWall
            } else {
                indexByStack[key] = stacks.count
                stacks.append((sample.stack, sample.wallNanoseconds, sample.cpuNanoseconds, awaitWall))
            }
        }
        // Keyed by shared index: two of the profile's frames can be one function of the table.
        var lastSeen: [Int: Int] = [:]
        for (number, entry) in stacks.enumerated() {
            for local in entry.stack {
                let index = shared[local]
                guard lastSeen.updateValue(number, forKey: index) != number else { continue }
                times[index, default: Times()].total += entry.wall
                times[index, default: Times()].cpu += entry.cpu
                times[index, default: Times()].awaitWall += entry.awaitWall
            }
            guard let leaf = entry.stack.last.map({ shared[$0] }) else { continue }
            times[leaf, default: Times()].leaf += entry.wall
            times[Self.owner(of: entry.stack, shared: shared, frames: frames), default: Times()].own += entry.wall
        }
    }

    /// The frame `stack`'s self time belongs to: the deepest one not of ``ownerSkippedKinds``.
    /// A report saved with library frames hidden ends a stack at the library's entry point
    /// (`JSONEncoder.encode`, 12 frames hidden): without this, a slower encode was charged to
    /// that library row, which the diff's table hides, and its caller showed no change. A
    /// stack of nothing but such frames keeps its leaf.
    static func owner(of stack: [Int], shared: [Int], frames: [Frame]) -> Int {
        for local in stack.reversed() {
            let index = shared[local]
            if !ownerSkippedKinds.contains(frames[index].kind) { return index }
        }
        return shared[stack[stack.count - 1]]
    }
}
