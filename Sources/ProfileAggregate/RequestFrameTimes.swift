import ProfileModel

/// One request's time per frame (indices into a shared `FrameTable`).
struct RequestFrameTimes {
    struct Times {
        /// Wall time of the samples whose stack contains the frame (once per sample).
        var total: UInt64 = 0
        var cpu: UInt64 = 0
        var awaitWall: UInt64 = 0
        /// Wall time of the samples whose leaf is the frame.
        var leaf: UInt64 = 0
        /// Leaf time, with a suspended sample's time given to the function that awaited
        /// (the frame before the synthetic `await` leaf): what a diff compares.
        var own: UInt64 = 0
    }

    var times: [Int: Times] = [:]

    /// `profile`'s samples, with its frame indices mapped through `shared`.
    init(profile: Profile, shared: [Int], frames: [Frame]) {
        var seen = Set<Int>()
        for sample in profile.samples {
            seen.removeAll(keepingCapacity: true)
            for local in sample.stack {
                let index = shared[local]
                guard seen.insert(index).inserted else { continue }
                times[index, default: Times()].total += sample.wallNanoseconds
                times[index, default: Times()].cpu += sample.cpuNanoseconds
                if sample.state == .suspended { times[index, default: Times()].awaitWall += sample.wallNanoseconds }
            }
            guard let leaf = sample.stack.last.map({ shared[$0] }) else { continue }
            times[leaf, default: Times()].leaf += sample.wallNanoseconds
            var owner = leaf
            if frames[leaf].kind == .await, sample.stack.count >= 2 { owner = shared[sample.stack[sample.stack.count - 2]] }
            times[owner, default: Times()].own += sample.wallNanoseconds
        }
    }
}
