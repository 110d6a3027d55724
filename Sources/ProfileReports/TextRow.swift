import Mustache

/// One line of the text report's call tree. Every piece arrives formatted and, when colour is
/// on, already wrapped in its ANSI codes; optional pieces carry their own leading spaces and
/// are empty when absent. The template arranges the pieces without sections, because each
/// lookup matters: swift-mustache resolves a name with several dynamic casts, and a wide
/// profile has hundreds of lines.
struct TextRow: Sendable {
    /// Tree guides drawn before the frame (`│  ├─ `).
    let guide: String
    /// Total time, in seconds or percent.
    let total: String
    /// ` 60.0%`, the share of the request with its leading space; empty in percent mode,
    /// where `total` already is one.
    let percent: String
    let name: String
    /// ` [3 frames hidden]` with its leading space, or empty.
    let hidden: String
    /// `  File.swift:12` with its leading spaces, or empty.
    let location: String
    /// `self 0.050 cpu 0.060 wait 0.000`.
    let times: String
}

extension TextRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "guide": guide
        case "total": total
        case "percent": percent
        case "name": self.name
        case "hidden": hidden
        case "location": location
        case "times": times
        default: nil
        }
    }
}
