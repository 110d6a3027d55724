/// Collapses runs of uninteresting frames (library, runtime, executor...) the way pyinstrument
/// groups library frames: the first frame of a run stays visible, as the entry point into the
/// library, and carries the count of the frames hidden behind it. `.profiler` frames are
/// removed outright: they are the profiler's own machinery, never the user's business.
public struct HideFramesProcessor: StackProcessor {
    /// `hiddenKinds` as a bit set: testing a bit costs nothing, hashing an enum per step did.
    let hiddenKindBits: UInt32
    let hide: [FramePattern]
    let show: [FramePattern]
    /// With patterns: whether each frame of the table ``prepared(for:)`` was given is hidden.
    /// A regular expression per step of every distinct stack took seconds on a large merged
    /// report; a profile has a few thousand frames.
    private var hiddenByFrame: [Bool]?
    /// The storage of the table `hiddenByFrame` was made for: another table of the same length
    /// (the processor prepared once, then used on another profile) decides frame by frame.
    private var preparedTable: UInt?

    public init(options: CallTreeOptions) {
        hide = options.hidePatterns.map(FramePattern.init)
        show = options.showPatterns.map(FramePattern.init)
        hiddenKindBits = options.hiddenKinds.reduce(0) { $0 | Self.bit($1) }
    }

    public func prepared(for frames: [Frame]) -> any StackProcessor {
        guard !hide.isEmpty || !show.isEmpty else { return self }
        var prepared = self
        prepared.hiddenByFrame = frames.map { isHidden(kind: $0.kind, name: $0.name) }
        prepared.preparedTable = Self.storage(of: frames)
        return prepared
    }

    private static func bit(_ kind: FrameKind) -> UInt32 {
        switch kind {
        case .application: 1 << 0
        case .library: 1 << 1
        case .runtime: 1 << 2
        case .system: 1 << 3
        case .profiler: 1 << 4
        case .await: 1 << 5
        case .unknown: 1 << 6
        }
    }

    private func isHiddenKind(_ kind: FrameKind) -> Bool {
        hiddenKindBits & Self.bit(kind) != 0
    }

    /// Reads only the frame's kind and name (never copies the whole `Frame`), and skips the
    /// patterns when there are none: this runs for every step of every distinct stack.
    public func isHidden(kind: FrameKind, name: @autoclosure () -> String) -> Bool {
        if hide.isEmpty && show.isEmpty { return isHiddenKind(kind) }
        let name = name()
        if show.contains(where: { $0.matches(name) }) { return false }
        return isHiddenKind(kind) || hide.contains(where: { $0.matches(name) })
    }

    private static func storage(of frames: [Frame]) -> UInt {
        frames.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    }

    public func process(_ stack: [StackStep], frames: [Frame]) -> [StackStep] {
        let decided = hiddenByFrame.flatMap { $0.count == frames.count && preparedTable == Self.storage(of: frames) ? $0 : nil }
        var result: [StackStep] = []
        result.reserveCapacity(stack.count)
        var inHiddenRun = false
        for step in stack {
            let kind = frames[step.frameIndex].kind
            if kind == .profiler { continue }
            let hidden =
                if let decided {
                    decided[step.frameIndex]
                } else {
                    isHidden(kind: kind, name: frames[step.frameIndex].name)
                }
            if hidden {
                if inHiddenRun, let last = result.indices.last {
                    result[last].hiddenFrameCount += 1 + step.hiddenFrameCount
                } else {
                    result.append(step)
                    inHiddenRun = true
                }
            } else {
                result.append(step)
                inHiddenRun = false
            }
        }
        return result
    }
}
