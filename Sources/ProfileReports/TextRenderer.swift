import Mustache
import ProfileModel

/// The call tree as text, like pyinstrument's console output: one line per frame with its
/// total time (seconds or percent), its share, and self/CPU/wait time, library frames
/// collapsed into "[N frames hidden]", frames under the threshold (1% by default) folded.
/// Rendered from the `text/report` template; colour only when `RenderOptions.ansiColor` is set.
public struct TextRenderer: ProfileRenderer {
    public var format: ProfileFormat { .text }

    /// Frames under 1% of the total are noise in a terminal.
    static let defaultThreshold = 0.01
    /// Rows of an aggregate or diff table: a screenful.
    static let tableRowLimit = 20

    public init() {}

    public func render(_ profile: Profile, options: RenderOptions) throws -> RenderedReport {
        let tree = options.callTree(of: profile, defaultThreshold: Self.defaultThreshold)
        let style = ANSIStyle(enabled: options.ansiColor)
        var rows: [TextRow] = []
        let builder = RowBuilder(tree: tree, options: options, style: style)
        let visible = tree.root.children
        for (index, child) in visible.enumerated() {
            builder.appendRows(for: child, prefix: "", isLast: index == visible.count - 1, isTop: true, into: &rows)
        }
        var context: [String: Any] = [
            "summary": ReportSummary(profile: profile).safeForTerminal(),
            "rows": rows,
            "empty": rows.isEmpty && profile.sampleCount == 0,
            // Samples, but every top-level frame under the threshold: "no samples" would be wrong.
            "folded": rows.isEmpty && profile.sampleCount > 0,
            "threshold": TimeText.percent(fraction: options.threshold(default: Self.defaultThreshold)),
            "unit": options.timeDisplay == .percent ? "% of the request" : "seconds",
            "showAllFrames": options.showAllFrames,
            "reset": style.reset,
            "bold": style.bold,
            "faint": style.faint,
        ]
        if let table = ReportTable(profile: profile, options: options, rowLimit: Self.tableRowLimit) {
            context["table"] = table.context(textLines: true)
        }
        let library = try TemplateLibrary(overridesIn: options.templateDirectory)
        return RenderedReport(format: .text, text: try library.render(context, template: "text/report"))
    }
}

/// Walks the tree depth first, drawing the guides and formatting each node's times.
private struct RowBuilder {
    let tree: CallTree
    let options: RenderOptions
    let style: ANSIStyle
    let total: UInt64

    init(tree: CallTree, options: RenderOptions, style: ANSIStyle) {
        self.tree = tree
        self.options = options
        self.style = style
        self.total = tree.root.totalWallNanoseconds
    }

    func appendRows(for node: CallTreeNode, prefix: String, isLast: Bool, isTop: Bool, into rows: inout [TextRow]) {
        rows.append(row(for: node, guide: isTop ? "" : prefix + (isLast ? "└─ " : "├─ ")))
        let childPrefix = isTop ? "" : prefix + (isLast ? "   " : "│  ")
        for (index, child) in node.children.enumerated() {
            appendRows(for: child, prefix: childPrefix, isLast: index == node.children.count - 1, isTop: false, into: &rows)
        }
    }

    private func row(for node: CallTreeNode, guide: String) -> TextRow {
        let frame = node.frameIndex.map { tree.frames[$0] }
        let fraction = total > 0 ? Double(node.totalWallNanoseconds) / Double(total) : 0
        let nameStyle: String = switch frame?.kind {
        case .application: style.bold
        case .await: style.cyan
        default: ""
        }
        let hidden = node.hiddenFrameCount
        let times = "self \(time(node.selfWallNanoseconds)) cpu \(time(node.totalCPUNanoseconds)) wait \(time(node.totalWaitNanoseconds))"
        let location = frame?.reportLocation.map(TerminalSafeText.make)
        return TextRow(
            guide: guide,
            total: style.timeColor(fraction: fraction) + time(node.totalWallNanoseconds) + style.reset,
            percent: options.timeDisplay == .percent ? "" : " " + style.faint + TimeText.percent(node.totalWallNanoseconds, of: total) + style.reset,
            name: nameStyle + TerminalSafeText.make(frame?.shortName ?? "(root)") + style.reset,
            hidden: hidden == 0 ? "" : " " + style.faint + (hidden == 1 ? "[1 frame hidden]" : "[\(hidden) frames hidden]") + style.reset,
            location: location.map { "  " + style.faint + $0 + style.reset } ?? "",
            times: style.faint + times + style.reset
        )
    }

    private func time(_ nanoseconds: UInt64) -> String {
        switch options.timeDisplay {
        case .seconds: TimeText.seconds(nanoseconds)
        case .percent: TimeText.percent(nanoseconds, of: total)
        }
    }
}
