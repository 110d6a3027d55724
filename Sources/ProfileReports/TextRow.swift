import Mustache
import ProfileModel

/// One line of the text report's call tree, with every piece already formatted so that the
/// template only arranges them.
struct TextRow: Sendable {
    /// Tree guides drawn before the frame (`│  ├─ `).
    let guide: String
    let total: String
    let percent: String
    let selfTime: String
    let cpu: String
    let wait: String
    let name: String
    let location: String?
    let hiddenFrames: Int
    let isAwait: Bool
    let timeColor: String
    let nameStyle: String
}

extension TextRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "guide": guide
        case "total": total
        case "percent": percent
        case "self": selfTime
        case "cpu": cpu
        case "wait": wait
        case "name": self.name
        case "location": location
        case "hiddenFrames": hiddenFrames > 0 ? (hiddenFrames == 1 ? "1 frame hidden" : "\(hiddenFrames) frames hidden") : nil
        case "await": isAwait
        case "timeColor": timeColor
        case "nameStyle": nameStyle
        default: nil
        }
    }
}
