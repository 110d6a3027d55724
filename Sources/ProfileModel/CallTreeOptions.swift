/// How a call tree is shaped from a profile's raw stacks.
///
/// The defaults are what a person debugging their endpoint wants: their own functions, with
/// runtime, library and executor frames collapsed into "[N frames hidden]" as pyinstrument does.
public struct CallTreeOptions: Sendable, Hashable {
    /// Keep every frame (runtime, libraries, executor, unknown addresses) in the tree.
    public var showAllFrames: Bool
    /// Kinds of frames collapsed unless `showAllFrames` is set.
    public var hiddenKinds: Set<FrameKind>
    /// Regular expressions; a frame whose name matches one is hidden (unless a show pattern matches).
    public var hidePatterns: [String]
    /// Regular expressions; a frame whose name matches one is always shown.
    public var showPatterns: [String]
    /// Collapse direct recursion (`f -> f -> f`) into one node; recursion through hidden
    /// frames keeps the hidden step between its calls.
    public var mergeRecursion: Bool

    public init(
        showAllFrames: Bool = false,
        hiddenKinds: Set<FrameKind> = [.library, .runtime, .system, .profiler, .unknown],
        hidePatterns: [String] = [],
        showPatterns: [String] = [],
        mergeRecursion: Bool = true
    ) {
        self.showAllFrames = showAllFrames
        self.hiddenKinds = hiddenKinds
        self.hidePatterns = hidePatterns
        self.showPatterns = showPatterns
        self.mergeRecursion = mergeRecursion
    }
}
