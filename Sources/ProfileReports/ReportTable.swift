import Foundation
import ProfileModel

/// The many-request part of a report, shown up front in html and text: headline lines (the
/// request count and time range) and a table of frames, built from `RenderOptions.aggregate`
/// or `RenderOptions.diff`. One builder for both formats, so they always agree.
struct ReportTable: Sendable {
    struct Row: Sendable {
        var cells: [String]
        /// `slower`, `faster` or `noise` for a diff row, for the html page's colors.
        var change: String
    }

    var headline: [String]
    var title: String
    var note: String
    var columns: [String]
    /// Columns aligned to the right in text (the numbers).
    var numericColumns: Int
    var rows: [Row]

    /// The table `options` ask for, or nil for a report of one request.
    init?(profile: Profile, options: RenderOptions, rowLimit: Int) {
        // Hidden as the call tree hides them: by kind, and by the hide and show patterns.
        let hiding = HideFramesProcessor(options: options.callTreeOptions)
        let visible = { (index: Int) -> Bool in
            let frame = profile.frames[index]
            return frame.kind != .profiler && (options.showAllFrames || !hiding.isHidden(kind: frame.kind, name: frame.name))
        }
        if let diff = options.diff {
            self.init(diff: diff, frames: profile.frames, visible: visible, rowLimit: rowLimit)
        } else if let aggregate = options.aggregate {
            self.init(aggregate: aggregate, frames: profile.frames, visible: visible, rowLimit: rowLimit)
        } else {
            return nil
        }
    }

    private init(aggregate: AggregateSummary, frames: [Frame], visible: (Int) -> Bool, rowLimit: Int) {
        let requests = aggregate.requests
        headline = ["Aggregate of \(Self.requestSet(requests))"]
        title = "Functions by total time over all requests"
        note = "Per request: the median and 95th percentile of the function's total time (0 for a request it did not appear in); requests: in how many it appeared."
        columns = ["total", "cpu", "await", "median", "p95", "requests", "function", "location"]
        numericColumns = 6
        rows = aggregate.frames.filter { visible($0.frame) }.prefix(rowLimit).map { entry in
            Row(cells: [
                TimeText.seconds(entry.wallNanoseconds),
                TimeText.seconds(entry.cpuNanoseconds),
                TimeText.seconds(entry.awaitNanoseconds),
                TimeText.readable(entry.medianNanoseconds),
                TimeText.readable(entry.p95Nanoseconds),
                "\(entry.requestCount)/\(requests.requestCount)",
                entry.name,
                frames[entry.frame].reportLocation ?? "",
            ], change: "")
        }
    }

    private init(diff: DiffSummary, frames: [Frame], visible: (Int) -> Bool, rowLimit: Int) {
        headline = [
            "Before: \(Self.requestSet(diff.before))",
            "After:  \(Self.requestSet(diff.after))",
        ]
        title = "Change in self time per request, largest first"
        note = "Self time includes hidden library calls and awaits. In: share of requests (before -> after) in which the function appears. ~ marks noise: \(diff.noiseRule)"
        columns = ["change", "", "before", "after", "in", "", "function", "location"]
        numericColumns = 4
        rows = diff.frames.filter { visible($0.frame) }.prefix(rowLimit).map { entry in
            let change = entry.changeNanosecondsPerRequest
            let sign = change > 0 ? "+" : (change < 0 ? "-" : "")
            let relative = entry.relativeChange.map { String(format: "%+.0f%%", $0 * 100) } ?? (entry.beforeRequestShare == 0 ? "new" : "")
            return Row(cells: [
                sign + TimeText.readable(change.magnitude),
                relative,
                TimeText.readable(entry.beforeNanosecondsPerRequest),
                TimeText.readable(entry.afterNanosecondsPerRequest),
                "\(Self.share(entry.beforeRequestShare)) -> \(Self.share(entry.afterRequestShare))",
                entry.noise ? "~" : (change > 0 ? "slower" : "faster"),
                entry.name,
                frames[entry.frame].reportLocation ?? "",
            ], change: entry.noise ? "noise" : (change > 0 ? "slower" : "faster"))
        }
    }

    /// `12 requests, 2025-11-20T22:00:00Z to 2025-11-20T22:05:00Z`.
    static func requestSet(_ set: RequestSetSummary) -> String {
        let first = Date(timeIntervalSince1970: set.firstStartTime).formatted(.iso8601)
        let last = Date(timeIntervalSince1970: set.lastEndTime).formatted(.iso8601)
        return "\(set.requestCount) request\(set.requestCount == 1 ? "" : "s"), \(first) to \(last)"
    }

    private static func share(_ fraction: Double) -> String {
        "\(Int((fraction * 100).rounded()))%"
    }

    /// The table as aligned text lines: numbers right-aligned, names left-aligned, the last
    /// column unpadded.
    func textLines() -> [String] {
        let all = [columns] + rows.map { $0.cells.map(TerminalSafeText.make) }
        let widths = columns.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { cells in
            cells.indices.map { column -> String in
                let cell = cells[column]
                if column == cells.count - 1 { return cell }
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column < numericColumns ? padding + cell : cell + padding
            }.joined(separator: "  ")
        }.map { $0.replacingOccurrences(of: " +$", with: "", options: .regularExpression) }
    }

    /// The table as the mustache templates read it.
    func context(textLines: Bool) -> [String: Any] {
        // In text, a saved report's texts (a diff's noise rule) would reach the terminal as they are.
        func shown(_ text: String) -> String { textLines ? TerminalSafeText.make(text) : text }
        var context: [String: Any] = [
            "headline": headline.map { shown($0) },
            "title": shown(title),
            "note": shown(note),
            "columns": columns,
            "rows": rows.map { ["cells": $0.cells, "change": $0.change] as [String: Any] },
        ]
        if textLines { context["lines"] = self.textLines() }
        return context
    }
}
