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
/// per-route cap simply drops out, even while the view is being built.
///
/// What a view may cost is bounded: an aggregate reads the route's newest
/// ``mostAggregatedReports``, a diff at most ``largestDiffCount`` a side, together at most
/// ``largestTotalBytes`` (else a 422 that says so), each file a regular one inside the folder
/// (symlinks resolved; FIFOs and devices refused). One view is built at a time
/// (``ReportViewGate``; a second gets a 503), on a thread of its own (``DashboardAnswer``).
struct SavedReportViews: Sendable {
    let reports: SavedReportServer
    let registry: CapturedProfileRegistry
    let logger: Logger
    /// One view at a time.
    let gate = ReportViewGate(capacity: 1)

    /// How many reports a diff compares on each side when the request does not say.
    static let defaultDiffCount = 5
    /// The largest `n` of a diff.
    static let largestDiffCount = 100
    /// An aggregate reads at most the route's newest this many reports.
    static let mostAggregatedReports = 200
    /// The most bytes of reports one view reads.
    static let largestTotalBytes = 512 << 20

    var directory: String { reports.directory }

    /// The route's saved json reports still on disk, oldest first, as real paths inside the
    /// folder (a name whose symlink leads elsewhere is left out).
    func jsonReports(method: String, route: String) -> [String] {
        reports.containedPaths(of: registry.profiles(stillIn: directory) {
            $0.method == method && $0.route == route && ReportLoader.isJSONReportName($0.file)
        }.map(\.file))
    }

    /// `PREFIX/profiles/FILE?format=`: a saved json report rendered in another format.
    func render(rawName: String, formatName: String) -> DashboardAnswer {
        refusing {
            let format = try Self.format(formatName)
            return gated {
                let report: SavedReportServer.SavedReport
                switch reports.load(rawName) {
                case .success(let loaded): report = loaded
                case .failure(let refusal): return refusal.response(logger: logger)
                }
                guard ReportLoader.isJSONReportName(report.name) else {
                    return Dashboard.plain(400, "only json reports can be shown in another format; \(report.name) is served as saved\n")
                }
                return answer("the report \(report.name)", format: format) {
                    try ReportLoader.decode(Data(report.bytes), path: report.name).render(as: format)
                }
            }
        }
    }

    /// `PREFIX/aggregate?method=&route=[&format=]`.
    func aggregate(_ query: QueryString) -> DashboardAnswer {
        refusing {
            let format = try Self.format(query["format"])
            let route = try Self.route(query)
            return gated {
                answer("the aggregate", format: format) {
                    try ReportCollection.merge(
                        reports: try loadNewest(of: route, minimum: 1) { _ in Self.mostAggregatedReports }, format: format)
                }
            }
        }
    }

    /// `PREFIX/diff?method=&route=[&n=][&format=]`.
    func diff(_ query: QueryString) -> DashboardAnswer {
        refusing {
            let count: Int
            if let text = query["n"] {
                guard let parsed = Int(text), (1...Self.largestDiffCount).contains(parsed) else {
                    throw Refusal(400, "invalid n=\"\(text)\": expected a whole number from 1 to \(Self.largestDiffCount)")
                }
                count = parsed
            } else {
                count = Self.defaultDiffCount
            }
            let format = try Self.format(query["format"])
            let route = try Self.route(query)
            return gated {
                answer("the diff", format: format) {
                    let reports = try loadNewest(of: route, minimum: 2) { ReportCollection.itemsCompared(available: $0, count: count) }
                    return try ReportCollection.lastVersusPrevious(reports: reports, count: count, format: format)
                }
            }
        }
    }

    /// The method and route the query names; read from the query alone, on the request's thread.
    private static func route(_ query: QueryString) throws(Refusal) -> (method: String, route: String) {
        guard let method = query["method"], !method.isEmpty, let route = query["route"], !route.isEmpty else {
            throw Refusal(400, "name the route: ?method=GET&route=/users/:id")
        }
        return (method, route)
    }

    /// The route's newest `count(available)` saved json reports, oldest first, loaded once
    /// their sizes fit the budget. Finding them `stat`s and resolves the registered reports:
    /// called only inside ``gated(_:)``, so a hung reports folder holds a gated worker, not a
    /// thread the server's requests share.
    private func loadNewest(
        of route: (method: String, route: String), minimum: Int, count: (_ available: Int) -> Int
    ) throws -> [LoadedReport] {
        let listed = jsonReports(method: route.method, route: route.route)
        guard listed.count >= minimum else {
            throw Refusal(404, "\(route.method) \(route.route) has \(listed.count) saved json report(s); this view needs at least \(minimum)")
        }
        let paths = Array(listed.suffix(count(listed.count)))
        try Self.checkSize(of: paths)
        return try loadPresent(paths, minimum: minimum)
    }

    /// Refuses a view whose files hold more than ``largestTotalBytes``, before reading any.
    private static func checkSize(of paths: [String]) throws(Refusal) {
        var total = 0
        for path in paths {
            var info = stat()
            // Saturating: sparse files (XFS, btrfs: up to 8 EiB each) must not overflow the sum.
            guard stat(path, &info) == 0 else { continue }
            let (sum, overflowed) = total.addingReportingOverflow(Int(info.st_size))
            total = overflowed ? .max : sum
        }
        guard total <= largestTotalBytes else {
            throw Refusal(
                422,
                "these \(paths.count) reports hold \(total >> 20) MB, more than the \(largestTotalBytes >> 20) MB a dashboard view reads; "
                    + "ask for fewer (n=), or combine them with the command-line tool (request-profiler merge, diff)")
        }
    }

    /// Loads the reports, leaving out those deleted since they were listed (the per-route cap
    /// deletes the oldest automatic report while a view may be reading the route's).
    func loadPresent(_ paths: [String], minimum: Int) throws -> [LoadedReport] {
        var loaded: [LoadedReport] = []
        for path in paths {
            do {
                // The path was resolved and checked to be in the folder: a symlink put in its
                // place since then is not followed out of it.
                loaded.append(try ReportLoader.load(file: path, followsSymlinks: false))
            } catch {
                guard !FileManager.default.fileExists(atPath: path) else { throw error }
            }
        }
        guard loaded.count >= minimum else {
            throw Refusal(404, "the route's reports were deleted while this view was being built; reload to try again")
        }
        // Each report is within its own limits; together they may not be (200 reports of 20
        // million samples each would take the server's memory).
        do {
            try ReportLoader.checkCombinable(loaded)
        } catch {
            throw Refusal(422, "\(error); ask for fewer (n=), or combine them with the command-line tool (request-profiler merge, diff)")
        }
        return loaded
    }

    /// Runs `work` off the request's thread if no other view is being built; else a 503.
    private func gated(_ work: @escaping @Sendable () -> ProfilingResponse) -> DashboardAnswer {
        gate.offThread(work)
    }

    /// Renders, answering a failure with a one-line reason: a format a diff cannot show is the
    /// request's fault (400), an unreadable report the server's (500, logged).
    private func answer(_ what: String, format: ProfileFormat, _ render: () throws -> RenderedReport) -> ProfilingResponse {
        do {
            let report = try render()
            return ProfilingResponse(
                status: 200,
                headers: [HTTPHeaderField("Content-Type", report.contentType)] + ReportIsolation.headers,
                body: Array(report.bytes))
        } catch let refusal as Refusal {
            return Dashboard.plain(refusal.status, refusal.message + "\n")
        } catch let error as DiffFormatError {
            return Dashboard.plain(400, "\(error)\n")
        } catch {
            logger.error("request profiler: the dashboard could not render \(what) as \(format.rawValue): \(error)")
            // The reason names the report, not where the server keeps its reports.
            let reason = "\(error)".replacingOccurrences(of: reports.resolvedDirectory + "/", with: "")
                .replacingOccurrences(of: directory + "/", with: "")
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

    /// Runs a view's checks; a ``Refusal`` they throw becomes its status and reason.
    private func refusing(_ body: () throws -> DashboardAnswer) -> DashboardAnswer {
        do {
            return try body()
        } catch let refusal as Refusal {
            return .ready(Dashboard.plain(refusal.status, refusal.message + "\n"))
        } catch {
            return .ready(Dashboard.plain(500, "\(error)\n"))
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
