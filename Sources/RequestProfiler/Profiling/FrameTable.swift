import ProfileModel

/// The profile's frame table under construction: one frame per function (name + image).
struct FrameTable {
    struct Key: Hashable { var name: String; var image: String }
    var frames: [Frame] = []
    private var indices: [Key: Int] = [:]
    /// Per frame: whether its file and line come from its own source (see `index(for:...)`).
    private var locationIsOwnSource: [Bool] = []

    /// The frame of `symbol`'s function. `isOwnSource`: the address lies in the function's own
    /// source in the project (``FrameClassifier/isOwnSource(_:)``). Such an address makes a
    /// function first seen as library code the user's (its other addresses held code inlined
    /// from a dependency), or as system code (in a dynamic library of the project's own, an
    /// address without a line, as every async resume address is, tells nothing better), and
    /// the location comes from such addresses when there are any, the smallest line among
    /// them: a user's handler never shows as `ByteBuffer-int.swift`. (A helper of another file
    /// of the same module inlined into it can still give the location: the symbol table does
    /// not say which file a function is declared in.)
    mutating func index(for symbol: Symbol, address: UInt, kind: FrameKind, isOwnSource: Bool = false) -> Int {
        let key = Key(name: symbol.name, image: symbol.imagePath)
        if let index = indices[key] {
            if isOwnSource, [.library, .system].contains(frames[index].kind) { frames[index].kind = .application }
            if let line = symbol.line,
                (isOwnSource && !locationIsOwnSource[index]) || (isOwnSource == locationIsOwnSource[index] && line < (frames[index].line ?? .max))
            {
                frames[index].line = line
                frames[index].file = symbol.file
                locationIsOwnSource[index] = isOwnSource
            }
            return index
        }
        let frame = Frame(name: symbol.name, image: symbol.imageName, file: symbol.file, line: symbol.line, address: UInt64(address), kind: kind)
        frames.append(frame)
        locationIsOwnSource.append(isOwnSource)
        indices[key] = frames.count - 1
        return frames.count - 1
    }

    mutating func index(forSynthetic frame: Frame) -> Int {
        let key = Key(name: frame.name, image: "")
        if let index = indices[key] { return index }
        frames.append(frame)
        locationIsOwnSource.append(false)
        indices[key] = frames.count - 1
        return frames.count - 1
    }
}
