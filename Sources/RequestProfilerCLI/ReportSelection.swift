import ArgumentParser
import Foundation
import ProfileAggregate
import ProfileModel

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

    /// The reports the options pick, with a note when they span several routes unfiltered.
    func select(_ reports: [LoadedReport]) throws -> (reports: [LoadedReport], note: String?) {
        guard route != nil || method != nil else {
            let routes = Self.routes(of: reports)
            guard routes.count > 1 else { return (reports, nil) }
            return (reports, "note: these reports are of \(routes.count) routes (\(Self.list(routes))); --route and --method pick one")
        }
        let chosen = reports.filter { report in
            guard let request = report.report.metadata.request else { return false }
            if let method, request.method.caseInsensitiveCompare(method) != .orderedSame { return false }
            if let route, (request.route ?? request.path) != route { return false }
            return true
        }
        guard !chosen.isEmpty else {
            let wanted = [method?.uppercased(), route].compactMap { $0 }.joined(separator: " ")
            throw CommandFailure("no report is of \(wanted); the reports are of \(Self.list(Self.routes(of: reports)))")
        }
        return (chosen, nil)
    }

    /// Selects, and prints on standard error the notes a user should see before the report:
    /// routes mixed (``select(_:)``), and chosen inputs that are aggregates or diffs
    /// (``CombinedReportNote``).
    func selectNoting(_ reports: [LoadedReport]) throws -> [LoadedReport] {
        let (chosen, note) = try select(reports)
        for line in [note].compactMap({ $0 }) + CombinedReportNote.notes(for: chosen) {
            try? FileHandle.standardError.write(contentsOf: Data((line + "\n").utf8))
        }
        return chosen
    }

    /// `METHOD route` of each report (`(unknown)` without request metadata), sorted, unique.
    private static func routes(of reports: [LoadedReport]) -> [String] {
        Set(reports.map { report in
            report.report.metadata.request.map { "\($0.method) \($0.route ?? $0.path)" } ?? "(unknown)"
        }).sorted()
    }

    private static func list(_ routes: [String]) -> String {
        routes.count <= 8 ? routes.joined(separator: ", ") : routes.prefix(8).joined(separator: ", ") + ", and \(routes.count - 8) more"
    }
}
