import ProfileModel

/// pprof mappings (one per image) derived from the frame table: the address range each image's
/// frames were seen in, and whether its frames have files and lines, which tells pprof the
/// profile is already symbolized and needs no binary.
struct PprofMappings {
    struct Mapping {
        var image: String
        var memoryStart: UInt64
        var memoryLimit: UInt64
        var hasFilenames: Bool
        var hasLineNumbers: Bool
    }

    private(set) var mappings: [Mapping] = []
    /// For each frame, the index of its image's mapping.
    private(set) var mappingIndex: [Int] = []

    init(frames: [Frame]) {
        var indexByImage: [String: Int] = [:]
        for frame in frames {
            let index: Int
            if let existing = indexByImage[frame.image] {
                index = existing
            } else {
                index = mappings.count
                indexByImage[frame.image] = index
                mappings.append(Mapping(image: frame.image, memoryStart: .max, memoryLimit: 0, hasFilenames: true, hasLineNumbers: true))
            }
            mappingIndex.append(index)
            if frame.address != 0 {
                mappings[index].memoryStart = min(mappings[index].memoryStart, frame.address)
                mappings[index].memoryLimit = max(mappings[index].memoryLimit, frame.address + 1)
            }
            mappings[index].hasFilenames = mappings[index].hasFilenames && frame.file != nil
            mappings[index].hasLineNumbers = mappings[index].hasLineNumbers && frame.line != nil
        }
        for index in mappings.indices where mappings[index].memoryStart == .max {
            mappings[index].memoryStart = 0
        }
    }
}
