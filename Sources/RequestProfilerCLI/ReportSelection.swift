import ArgumentParser
import Foundation
import ProfileAggregate
import ProfileModel
import ProfileReports

/// `--route` and `--method`: which of the loaded reports a command combines.
///
/// Auto-capture saves every route's reports into one folder, so `merge reports/` would sum
/// unrelated requests. With neither option, reports of several routes are still combined, and
/// a note on standard error lists the routes; a filter that matches nothing is an error that
/// lists what there is.
struct ReportSelection: ParsableArguments {
    @Option(name: .long, help: "Only reports of this route template, e.g. /users/:id (the path, for reports without a template).")
    var route: String?

    @Option(name: .long, help: "Only reports of this HTTP method (any case).")
    var method: String?

    /// Whether the options pick `report`.
    func matches(_ report: JSONReport) -> Bool {
        guard route != nil || method != nil else { return true }
        guard let request = report.metadata.request else { return false }
        if let method, request.method.caseInsensitiveCompare(method) != .orderedSame { return false }
        if let route, (request.route ?? request.path) != route { return false }
        return true
    }

    /// Reads `inputs`, keeping the reports the options pick: those left out are not held, and
    /// do not count against what the kept ones may hold together.
    func load(_ inputs: [String]) throws -> SelectedReports {
        try ReportLoader.load(inputs, keeping: matches)
    }

    /// The reports the options pick, with a note when they span several routes unfiltered.
    /// `side` names the option the reports were given with, for a command that reads two sets
    /// (`diff`'s `--before` and `--after`): the note and the error then say which set.
    func select(_ reports: [LoadedReport], side: String? = nil) throws -> (reports: [LoadedReport], note: String?) {
        let kept = reports.filter { matches($0.report) }
        let leftOut = reports.filter { !matches($0.report) }.map(\.report.metadata.request)
        return try select(SelectedReports(kept: kept, paths: reports.map(\.path), leftOut: leftOut), side: side)
    }

    /// ``select(_:side:)`` of what ``load(_:)`` kept.
    func select(_ selected: SelectedReports, side: String? = nil) throws -> (reports: [LoadedReport], note: String?) {
        let these = side.map { "the \($0) reports" } ?? "these reports"
        guard route != nil || method != nil else {
            let routes = Self.routes(of: selected.kept.map(\.report.metadata.request))
            guard routes.count > 1 else { return (selected.kept, nil) }
            return (selected.kept, "note: \(these) are of \(routes.count) routes (\(Self.list(routes))); --route and --method pick one")
        }
        guard !selected.kept.isEmpty else {
            let wanted = [method?.uppercased(), route].compactMap { $0 }.joined(separator: " ")
            let none = side.map { "no \($0) report" } ?? "no report"
            let all = side.map { "the \($0) reports" } ?? "the reports"
            throw CommandFailure("\(none) is of \(wanted); \(all) are of \(Self.list(Self.routes(of: selected.leftOut)))")
        }
        return (selected.kept, nil)
    }

    /// Selects, and prints on standard error the notes a user should see before the report:
    /// routes mixed (``select(_:side:)``), and chosen inputs that are aggregates or diffs
    /// (``CombinedReportNote``).
    func selectNoting(_ selected: SelectedReports, side: String? = nil) throws -> [LoadedReport] {
        let (chosen, note) = try select(selected, side: side)
        for line in [note].compactMap({ $0 }) + CombinedReportNote.notes(for: chosen) {
            try? FileHandle.standardError.write(contentsOf: Data((TerminalSafeText.make(line) + "\n").utf8))
        }
        return chosen
    }

    /// `METHOD route` of each report (`(unknown)` without request metadata), sorted, unique.
    private static func routes(of requests: [RequestInfo?]) -> [String] {
        Set(requests.map { request in
            request.map { "\($0.method) \($0.route ?? $0.path)" } ?? "(unknown)"
        }).sorted()
    }

    private static func list(_ routes: [String]) -> String {
        routes.count <= 8 ? routes.joined(separator: ", ") : routes.prefix(8).joined(separator: ", ") + ", and \(routes.count - 8) more"
    }
}
