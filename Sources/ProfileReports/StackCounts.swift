import ProfileModel

/// The profile's samples grouped by identical stack, in order of first appearance, with
/// their sample count and summed wall and CPU time. Collapsed stacks and pprof both write one
/// entry per distinct stack; grouping first keeps their output small and their work linear.
struct StackCounts {
    struct Entry {
        /// Frame indices, root first.
        var stack: [Int]
        var count: Int
        var wallNanoseconds: UInt64
        var cpuNanoseconds: UInt64
    }

    private(set) var entries: [Entry] = []

    init(profile: Profile) {
        var indexByStack: [StackKey: Int] = [:]
        for sample in profile.samples {
            let key = StackKey(sample.stack)
            if let index = indexByStack[key] {
                entries[index].count += 1
                entries[index].wallNanoseconds += sample.wallNanoseconds
                entries[index].cpuNanoseconds += sample.cpuNanoseconds
            } else {
                indexByStack[key] = entries.count
                entries.append(Entry(stack: sample.stack, count: 1, wallNanoseconds: sample.wallNanoseconds, cpuNanoseconds: sample.cpuNanoseconds))
            }
        }
    }
}
