import ProfileModel

/// pprof mappings (one per image) derived from the frame table: the address range each image's
/// frames were seen in, and whether its frames have files and lines. `has_functions` is set on
/// all of them: the profile is already symbolized and pprof must not look for the binaries.
///
/// The application's image comes first, since pprof treats `mapping[0]` as the main binary
/// (its "File:" line). Frames without an image (the synthetic await frame) get no mapping.
struct PprofMappings {
    struct Mapping {
        var image: String
        var memoryStart: UInt64 = .max
        var memoryLimit: UInt64 = 0
        var hasFilenames = true
        var hasLineNumbers = true
    }

    private(set) var mappings: [Mapping] = []
    /// For each frame, its pprof mapping id (index + 1), or 0 for none.
    private(set) var mappingIDs: [UInt64] = []

    init(frames: [Frame]) {
        let mainImage = (frames.first { $0.kind == .application } ?? frames.first)?.image
        var images = frames.map(\.image).filter { !$0.isEmpty }
        if let mainImage, !mainImage.isEmpty { images.insert(mainImage, at: 0) }
        var indexByImage: [String: Int] = [:]
        for image in images where indexByImage[image] == nil {
            indexByImage[image] = mappings.count
            mappings.append(Mapping(image: image))
        }
        for frame in frames {
            guard let index = indexByImage[frame.image] else {
                mappingIDs.append(0)
                continue
            }
            mappingIDs.append(UInt64(index + 1))
            if frame.address != 0 {
                mappings[index].memoryStart = min(mappings[index].memoryStart, frame.address)
                mappings[index].memoryLimit = max(mappings[index].memoryLimit, frame.address == .max ? .max : frame.address + 1)
            }
            mappings[index].hasFilenames = mappings[index].hasFilenames && frame.file != nil
            mappings[index].hasLineNumbers = mappings[index].hasLineNumbers && frame.line != nil
        }
        for index in mappings.indices where mappings[index].memoryStart == .max {
            mappings[index].memoryStart = 0
        }
    }
}
