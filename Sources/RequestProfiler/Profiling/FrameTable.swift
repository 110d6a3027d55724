import ProfileModel

/// The profile's frame table under construction: one frame per function (name + image).
struct FrameTable {
    struct Key: Hashable { var name: String; var image: String }
    var frames: [Frame] = []
    private var indices: [Key: Int] = [:]

    mutating func index(for symbol: Symbol, address: UInt, kind: FrameKind) -> Int {
        let key = Key(name: symbol.name, image: symbol.imagePath)
        if let index = indices[key] {
            if let line = symbol.line, line < (frames[index].line ?? .max) {
                frames[index].line = line
                frames[index].file = symbol.file
            }
            return index
        }
        let frame = Frame(name: symbol.name, image: symbol.imageName, file: symbol.file, line: symbol.line, address: UInt64(address), kind: kind)
        frames.append(frame)
        indices[key] = frames.count - 1
        return frames.count - 1
    }

    mutating func index(forSynthetic frame: Frame) -> Int {
        let key = Key(name: frame.name, image: "")
        if let index = indices[key] { return index }
        frames.append(frame)
        indices[key] = frames.count - 1
        return frames.count - 1
    }
}
