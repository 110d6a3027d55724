import Foundation
import Logging
import ProfileAggregate
import ProfileReports

/// The dashboard's renderings of saved json reports, made on request from the files:
///
/// | path | answer |
/// |---|---|
/// | `PREFIX/profiles/FILE?format=html` | one json report in another format |
/// | `PREFIX/aggregate?method=GET&route=/users/:id` | the aggregate of the route's saved json reports |
/// | `PREFIX/diff?method=GET&route=/users/:id&n=5` | the route's last `n` reports against the `n` before |
///
/// `format` (default html) takes the `profile_format` names. Only the registry's reports of
/// the route are read, oldest first, and only those still on disk: a report deleted by the
/// per-route cap simply drops out.
struct SavedReportViews: Sendable {
    let directory: String
    let registry: CapturedProfileRegistry
    let logger: Logger

    /// How many reports a diff compares on each side when the request does not say.
    static let defaultDiffCount = 5

    /// The route's saved json reports still on disk, oldest first.
    func jsonReports(method: String, route: String) -> [String] {
        registry.profiles(stillIn: directory)
            .filter { $0.method == method && $0.route == route && ReportLoader.isJSONReportName($0.file) }
            .map { directory + "/" + $0.file }
    }

    /// A saved report rendered in the format `formatName` names; only json reports hold the data.
    func render(_ report: SavedReportServer.SavedReport, formatName: String) -> ProfilingResponse {
        refusing {
            let format = try Self.format(formatName)
            guard ReportLoader.isJSONReportName(report.name) else {
                throw Refusal(400, "only json reports can be shown in another format; \(report.name) is served as saved")
            }
            return answer("the report \(report.name)", format: format) {
                try ReportLoader.decode(Data(report.bytes), path: report.name).render(as: format)
            }
        }
    }

    /// `PREFIX/aggregate?method=&route=[&format=]`.
    func aggregate(_ query: QueryString) -> ProfilingResponse {
        refusing {
            let format = try Self.format(query["format"])
            let paths = try reports(query, minimum: 1)
            return answer("the aggregate", format: format) { try ReportCollection.merge(paths, format: format) }
        }
    }

    /// `PREFIX/diff?method=&route=[&n=][&format=]`.
    func diff(_ query: QueryString) -> ProfilingResponse {
        refusing {
            var count = Self.defaultDiffCount
            if let text = query["n"] {
                guard let parsed = Int(text), (1...1_000).contains(parsed) else {
                    throw Refusal(400, "invalid n=\"\(text)\": expected a whole number from 1 to 1000")
                }
                count = parsed
            }
            let format = try Self.format(query["format"])
            let paths = try reports(query, minimum: 2)
            return answer("the diff", format: format) { try ReportCollection.lastVersusPrevious(paths, count: count, format: format) }
        }
    }

    /// The saved json reports of the route the query names, oldest first.
    private func reports(_ query: QueryString, minimum: Int) throws(Refusal) -> [String] {
        guard let method = query["method"], !method.isEmpty, let route = query["route"], !route.isEmpty else {
            throw Refusal(400, "name the route: ?method=GET&route=/users/:id")
        }
        let paths = jsonReports(method: method, route: route)
        guard paths.count >= minimum else {
            throw Refusal(404, "\(method) \(route) has \(paths.count) saved json report(s); this view needs at least \(minimum)")
        }
        return paths
    }

    /// Renders, answering a failure with a one-line reason: a format a diff cannot show is the
    /// request's fault (400), an unreadable report the server's (500, logged).
    private func answer(_ what: String, format: ProfileFormat, _ render: () throws -> RenderedReport) -> ProfilingResponse {
        do {
            let report = try render()
            return ProfilingResponse(
                status: 200,
                headers: [HTTPHeaderField("Content-Type", report.contentType), HTTPHeaderField("Cache-Control", "no-store")],
                body: Array(report.bytes))
        } catch let error as DiffFormatError {
            return Dashboard.plain(400, "\(error)\n")
        } catch {
            logger.error("request profiler: the dashboard could not render \(what) as \(format.rawValue): \(error)")
            // The reason names the report, not where the server keeps its reports.
            let reason = "\(error)".replacingOccurrences(of: directory + "/", with: "")
            return Dashboard.plain(500, "\(what) could not be rendered: \(reason)\n")
        }
    }

    /// The format named by `name` (html when absent).
    private static func format(_ name: String?) throws(Refusal) -> ProfileFormat {
        do {
            return try SettingParser.format(name ?? ProfileFormat.html.rawValue, name: "format")
        } catch {
            throw Refusal(400, "\(error)")
        }
    }

    /// Runs a view; a ``Refusal`` it throws becomes its status and reason.
    private func refusing(_ body: () throws -> ProfilingResponse) -> ProfilingResponse {
        do {
            return try body()
        } catch let refusal as Refusal {
            return Dashboard.plain(refusal.status, refusal.message + "\n")
        } catch {
            return Dashboard.plain(500, "\(error)\n")
        }
    }

    /// A request this view cannot answer, with the status and one-line reason it gets.
    struct Refusal: Error {
        var status: Int
        var message: String

        init(_ status: Int, _ message: String) {
            self.status = status
            self.message = message
        }
    }
}
