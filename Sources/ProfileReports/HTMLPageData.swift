import ProfileModel

/// The call tree as the html page's script reads it: a frame table plus nested arrays, a
/// compact form that keeps a 10,000-sample report well under 1 MB (keyed objects would
/// repeat every field name on every node).
///
/// Frame: `[shortName, name, file|null, line|null, image, kindIndex, displayFile|null]` (`kinds`
/// names the kinds; `displayFile` is the short path shown, `file` the absolute one in tooltips).
/// Node: `[frameIndex (-1 at the root), hiddenFrames, totalWall, selfWall, totalCPU, totalAwait, [children]]`,
/// times in nanoseconds.
///
/// A differential report adds `changes`: per frame, its relative change (-1...1, 0 for
/// noise, null when unknown), which the flame graph colors by.
///
/// The tree is cut below ``deepestNodeLevel``: encoding, and the page's script, walk it
/// recursively, and a stack thousands of frames deep exhausted the rendering thread's stack
/// (a crash of the server rendering a `?profile=1` report). A sampled stack has at most 256
/// frames, each with the functions inlined at it: it reaches the cut only with about four
/// inlined functions at every frame, and then the page's note says so.
struct HTMLPageData: Encodable {
    let tree: CallTree
    var changes: [Double?]? = nil

    /// The deepest level the page's tree holds; a node there keeps its children's time in its
    /// totals.
    static let deepestNodeLevel = 1_000

    /// How many nodes the cut left out, counted as the tree is encoded (0 for any stack the
    /// sampler records): no second walk of the tree.
    private let cut = CutNodes()

    private final class CutNodes {
        var count = 0
    }

    private enum Keys: String, CodingKey { case kinds, frames, root, changes }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(FrameKind.allCases.map(\.rawValue), forKey: .kinds)
        try container.encode(tree.frames.map(FrameEntry.init), forKey: .frames)
        try container.encode(NodeEntry(node: tree.root, level: 0, cut: cut), forKey: .root)
        try container.encodeIfPresent(changes, forKey: .changes)
    }

    /// The JSON, made safe to sit inside a `<script>` element: every `<` is escaped, so no
    /// frame name can close the element or open a comment; and how many nodes the cut left out.
    func scriptSafeJSON() throws -> (json: String, cutNodes: Int) {
        cut.count = 0
        let json = String(decoding: try CompactJSONEncoder(escapesLessThan: true).encode(self), as: UTF8.self)
        return (json, cut.count)
    }

    private struct FrameEntry: Encodable {
        let frame: Frame

        func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(frame.shortName)
            try container.encode(frame.name)
            try container.encode(frame.file)
            try container.encode(frame.line)
            try container.encode(frame.image)
            try container.encode(FrameKind.allCases.firstIndex(of: frame.kind) ?? 0)
            try container.encode(frame.displayFile)
        }
    }

    private struct NodeEntry: Encodable {
        let node: CallTreeNode
        let level: Int
        let cut: CutNodes

        func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(node.frameIndex ?? -1)
            try container.encode(node.hiddenFrameCount)
            try container.encode(node.totalWallNanoseconds)
            try container.encode(node.selfWallNanoseconds)
            try container.encode(node.totalCPUNanoseconds)
            try container.encode(node.totalAwaitNanoseconds)
            guard !node.children.isEmpty else { return }
            if level < HTMLPageData.deepestNodeLevel {
                try container.encode(node.children.map { NodeEntry(node: $0, level: level + 1, cut: cut) })
            } else {
                cut.count += node.children.count
            }
        }
    }
}
