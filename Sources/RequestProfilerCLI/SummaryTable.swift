import Foundation
import ProfileAggregate
import ProfileModel
import ProfileReports

/// The `summary` command's output: a headline, then the frames with the most self time (the
/// library calls hidden under a frame included), one line each.
struct SummaryTable {
    let lines: [String]

    init(aggregate: AggregateProfile, top: Int) {
        let requests = aggregate.summary.requests
        let total = max(aggregate.profile.totalWallNanoseconds, 1)
        let title = aggregate.profile.metadata.request.map { TerminalSafeText.make("\($0.method) \($0.route ?? $0.path)") } ?? "Profile"
        var lines = [
            "\(title): \(requests.requestCount) request\(requests.requestCount == 1 ? "" : "s"), \(Self.milliseconds(aggregate.profile.totalWallNanoseconds)) sampled",
            "",
            [Self.pad("self", 9), Self.pad("share", 7), Self.pad("median", 10), Self.pad("p95", 8), Self.pad("requests", 8), "function"].joined(separator: "  "),
        ]
        let frames = aggregate.summary.frames.filter { $0.selfNanoseconds > 0 }
            .sorted { ($0.selfNanoseconds, $1.frame) > ($1.selfNanoseconds, $0.frame) }
            .prefix(max(top, 0))
        for entry in frames {
            let frame = aggregate.profile.frames[entry.frame]
            let location = frame.displayFile.map { "  " + $0 + (frame.line.map { ":\($0)" } ?? "") } ?? ""
            lines.append([
                Self.pad(Self.milliseconds(entry.selfNanoseconds), 9),
                Self.pad(String(format: "%.1f%%", 100 * Double(entry.selfNanoseconds) / Double(total)), 7),
                Self.pad(Self.milliseconds(entry.medianNanoseconds), 10),
                Self.pad(Self.milliseconds(entry.p95Nanoseconds), 8),
                Self.pad("\(entry.requestCount)/\(requests.requestCount)", 8),
                TerminalSafeText.make(entry.name + location),
            ].joined(separator: "  "))
        }
        lines.append("")
        lines.append("Self time includes library calls hidden under the function; median and p95 are of its total time per request.")
        self.lines = lines
    }

    private static func milliseconds(_ nanoseconds: UInt64) -> String {
        String(format: "%.1f ms", Double(nanoseconds) / 1e6)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
