/// What one code address resolves to.
public struct Symbol: Sendable, Hashable {
    /// Demangled function name; async partial functions are named after their function.
    public var name: String
    /// Path of the image (executable or shared library) holding the address.
    public var imagePath: String
    /// Where the address lies in the named function: its own line, or where that function
    /// calls the first of ``inlinedFunctions``.
    public var file: String?
    public var line: Int?
    /// The functions inlined at the address, outermost first (the named function called the
    /// first, which called the second...); empty without DWARF or without lines resolved.
    public var inlinedFunctions: [InlinedFunction] = []
    /// False when no symbol covers the address (`name` is then `image+0xoffset`).
    public var isResolved: Bool

    public init(name: String, imagePath: String, file: String? = nil, line: Int? = nil, isResolved: Bool = true) {
        self.name = name
        self.imagePath = imagePath
        self.file = file
        self.line = line
        self.isResolved = isResolved
    }

    /// The image's file name, e.g. `libc.so.6`.
    public var imageName: String {
        imagePath.split(separator: "/").last.map(String.init) ?? imagePath
    }
}
