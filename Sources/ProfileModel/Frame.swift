/// A function in the frame table: what a call-tree node, a speedscope frame or a pprof
/// function stands for.
///
/// Frames are per function, not per address: all sampled addresses inside one function share
/// a frame, so call trees merge naturally. `line` is the smallest line seen among them, which
/// is the closest the samples get to the function's first line.
public struct Frame: Sendable, Hashable, Codable {
    /// Demangled name, e.g. `MyApp.UserService.fetchUser(id: Swift.Int) async throws -> MyApp.User`.
    /// Async partial functions ("await resume partial function for f()") are reported as `f()`.
    public var name: String
    /// File name of the image the code lives in (`MyServer`, `libswiftCore.so`, `libc.so.6`).
    public var image: String
    /// Source file from DWARF line tables, when the image has debug info.
    public var file: String?
    public var line: Int?
    /// One code address inside the function (load address in this process), for pprof locations.
    public var address: UInt64
    public var kind: FrameKind

    public init(name: String, image: String, file: String? = nil, line: Int? = nil, address: UInt64 = 0, kind: FrameKind) {
        self.name = name
        self.image = image
        self.file = file
        self.line = line
        self.address = address
        self.kind = kind
    }
}
