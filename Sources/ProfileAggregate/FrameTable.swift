import ProfileModel

/// One frame table shared by many profiles: each profile's frame indices map into it, so
/// the same function has the same index in every request.
struct FrameTable {
    private(set) var frames: [Frame] = []
    private var indexByIdentity: [FrameIdentity: Int] = [:]

    /// The shared index of every frame of `profile`, adding new functions to the table.
    mutating func indices(for profile: Profile) -> [Int] {
        profile.frames.map { frame in
            let identity = FrameIdentity(frame)
            if let index = indexByIdentity[identity] {
                // The user's code wherever one request saw it so (the sampler's rule), and the
                // smallest line of the first file seen.
                if frame.kind == .application, frames[index].kind == .library { frames[index].kind = .application }
                if frame.file == frames[index].file, let line = frame.line, line < frames[index].line ?? .max { frames[index].line = line }
                return index
            }
            indexByIdentity[identity] = frames.count
            frames.append(frame)
            return frames.count - 1
        }
    }
}
