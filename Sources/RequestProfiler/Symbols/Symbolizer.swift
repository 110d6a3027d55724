/// Turns code addresses of this process into function names, images and source lines.
///
/// Implementation requirements:
/// - Thread-safe: profiles finishing at the same time symbolize concurrently.
/// - Cache per address (and per image underneath): the same handful of functions shows up in
///   every profile, and a warm lookup must cost next to nothing.
/// - Never rely on `dladdr` alone: it sees only exported symbols, and internal Swift
///   functions are local symbols. Read the images' symbol tables.
/// - Name async partial functions after the function they belong to, so a function's partials
///   merge into one frame.
/// - Return an entry for every address asked for; an address no symbol covers gets
///   `isResolved == false` and a name of the form `image+0xoffset`.
public protocol Symbolizer: Sendable {
    func symbolize(_ addresses: [UInt], resolvingLines: Bool) -> [UInt: Symbol]
    /// The modules the image holding `address` was compiled from out of the project's own
    /// `Sources/<Module>/` (not a dependency's checkout), as its debug info names its source
    /// files; `""` stands for files right in `Sources/`. Empty without debug info.
    func projectModules(ofImageContaining address: UInt) -> Set<String>
}

extension Symbolizer {
    public func projectModules(ofImageContaining address: UInt) -> Set<String> { [] }
}
