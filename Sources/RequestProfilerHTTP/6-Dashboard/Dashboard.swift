import Logging
import RequestMetrics

/// The dashboard, served by the middleware itself under ``prefix``:
///
/// | path | answer |
/// |---|---|
/// | `PREFIX`, `PREFIX/` | the html page |
/// | `PREFIX/metrics.json` | `{window_seconds, overall, routes, events}` |
/// | `PREFIX/errors.json` | recent errors, newest first |
/// | `PREFIX/profiles.json` | saved reports, newest first |
/// | `PREFIX/profiles/FILE` | a saved report (see ``SavedReportServer``) |
/// | `PREFIX/profiles/FILE?format=html` | a saved json report in another format (see ``SavedReportViews``) |
/// | `PREFIX/aggregate?method=&route=` | the aggregate of a route's saved json reports |
/// | `PREFIX/diff?method=&route=&n=` | a route's last `n` saved json reports against the `n` before |
///
/// Its own requests are never measured or profiled: the core answers them before anything else.
public struct Dashboard: Sendable {
    public let prefix: String
    let authorization: BearerAuthorization
    let stats: StatsStore
    /// The collector whose drops and disabled exporters the dashboard shows; nil when events
    /// are not exported.
    let collector: EventCollector?
    let registry: CapturedProfileRegistry
    let reports: SavedReportServer
    let views: SavedReportViews
    /// Saved reports served as they are, four at a time.
    let fileGate = ReportViewGate(capacity: 4)
    /// The page and the json documents, four at a time: each `stat`s the listed reports, so on
    /// a hung reports folder every one would hold a Dispatch worker, and a flood of them (a
    /// script, a dashboard without a token) would grow Dispatch's pool without bound.
    let pageGate = ReportViewGate(capacity: 4)
    let page: DashboardPage
    let logger: Logger

    public init(
        prefix: String, token: String?, stats: StatsStore, collector: EventCollector? = nil,
        registry: CapturedProfileRegistry, reportsDirectory: String, logger: Logger
    ) {
        self.prefix = prefix
        self.authorization = BearerAuthorization(token: token)
        self.stats = stats
        self.collector = collector
        self.registry = registry
        self.reports = SavedReportServer(directory: reportsDirectory)
        self.views = SavedReportViews(reports: reports, registry: registry, logger: logger)
        self.page = DashboardPage(prefix: prefix, diffCount: SavedReportViews.defaultDiffCount)
        self.logger = logger
    }

    /// Whether `path` is the dashboard's: the prefix itself or anything below it.
    @inline(__always)
    public func owns(path: String) -> Bool {
        guard path.hasPrefix(prefix) else { return false }
        let rest = path.utf8.dropFirst(prefix.utf8.count)
        return rest.isEmpty || rest.first == UInt8(ascii: "/")
    }

    /// Whether a request its framework matched to `route` (a template: `/users/:id`,
    /// `/users/{id}`, `/**`) could have a path under the prefix; nil means no route matched.
    /// False only when the template's first segment is a literal other than the prefix's first
    /// segment (compared ignoring ASCII case, as a case-insensitive router would): then the
    /// core need not read the path at all, which Vapor builds on every read through
    /// Foundation (about 1 µs). Parameters and wildcards (`:x`, `{x}`, `*`, `**`, `{x}.jpg`)
    /// may match anything, so they say true.
    public func mayOwn(route: String?) -> Bool {
        guard let route else { return true }
        let template = route.utf8.drop { $0 == UInt8(ascii: "/") }
        let first = template.prefix { $0 != UInt8(ascii: "/") }
        if first.contains(where: { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "*") }) {
            return true
        }
        let prefixFirst = prefix.utf8.dropFirst().prefix { $0 != UInt8(ascii: "/") }
        return first.elementsEqual(prefixFirst) { Self.asciiLowercased($0) == Self.asciiLowercased($1) }
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    /// The answer to a request of ``owns(path:)``, built on the caller's thread. `header`
    /// looks up a request header.
    public func respond(path: String, rawQuery: String? = nil, method: String, header: (String) -> String?) -> ProfilingResponse {
        answer(path: path, rawQuery: rawQuery, method: method, header: header).responseHere
    }

    /// The same, with the answers that read saved reports left to run off the request's thread.
    func answer(path: String, rawQuery: String?, method: String, header: (String) -> String?) -> DashboardAnswer {
        let rest = String(path.dropFirst(prefix.count))
        if authorization.token != nil, rest == "" || rest == "/", let offered = QueryString(rawQuery ?? "")["token"] {
            return .ready(signIn(offered, secure: DashboardCookie.cameOverHTTPS(header: header)))
        }
        guard authorization.allows(authorizationHeader: header("Authorization"), cookieHeader: header("Cookie")) else {
            return .ready(BearerAuthorization.challenge)
        }
        guard method == "GET" || method == "HEAD" else {
            return .ready(Self.plain(405, "the dashboard only answers GET\n", extra: [HTTPHeaderField("Allow", "GET, HEAD")]))
        }
        switch rest {
        case "/aggregate":
            return views.aggregate(QueryString(rawQuery ?? ""))
        case "/diff":
            return views.diff(QueryString(rawQuery ?? ""))
        case let rest where rest.hasPrefix(Self.profilesPrefix):
            let rawName = String(rest.dropFirst(Self.profilesPrefix.count))
            if let format = QueryString(rawQuery ?? "")["format"] { return views.render(rawName: rawName, formatName: format) }
            return fileGate.offThread { [reports, logger] in
                switch reports.load(rawName) {
                case .success(let report): return reports.response(for: report)
                case .failure(let refusal): return refusal.response(logger: logger)
                }
            }
        default:
            // Any other path reads nothing: a 404 at once, holding no place of the page's gate.
            guard let build = pageOrDocument(rest) else { return .ready(Self.plain(404, "not found\n")) }
            // A `stat` per listed report, and the page's snapshot and rendering (milliseconds):
            // off the request's thread too, so a reports folder on a hung network file system
            // holds a Dispatch worker, not a thread the server's requests share.
            return pageGate.offThread(build)
        }
    }

    private static let profilesPrefix = "/profiles/"

    /// How to build the page or a json document (from memory, and a `stat` per listed
    /// report), run off the request's thread (see ``answer(path:rawQuery:method:header:)``);
    /// nil for any other path.
    private func pageOrDocument(_ rest: String) -> (@Sendable () -> ProfilingResponse)? {
        switch rest {
        case "", "/":
            return { [self] in
                do {
                    let nonce = DashboardPolicy.newNonce()
                    let html = try page.render(
                        stats.snapshot(), profiles: profilesOnDisk, events: collector.map(ExportHealth.init), nonce: nonce)
                    return ProfilingResponse(
                        status: 200,
                        headers: [HTTPHeaderField("Content-Type", "text/html; charset=utf-8"), DashboardPolicy.header(nonce: nonce)]
                            + Self.pageHeaders.filter { $0.name != DashboardPolicy.headerName },
                        body: Array(html.utf8))
                } catch {
                    logger.error("request profiler: the dashboard page failed: \(error)")
                    return Self.plain(500, "the dashboard page could not be rendered (see the server log)\n")
                }
            }
        case "/metrics.json":
            return { [self] in
                Self.json(DashboardDocument.metrics(stats.snapshot(), profiles: profilesOnDisk, events: collector.map(ExportHealth.init)))
            }
        case "/errors.json":
            return { [self] in Self.json(DashboardDocument.errors(stats.snapshot())) }
        case "/profiles.json":
            return { [self] in Self.json(DashboardDocument.profiles(profilesOnDisk)) }
        default:
            return nil
        }
    }

    /// The saved reports the dashboard lists: those still in the reports folder.
    private var profilesOnDisk: [CapturedProfile] {
        registry.profiles(stillIn: reports.directory)
    }

    /// `PREFIX/?token=TOKEN` from a browser: the right token gets the ``DashboardCookie`` and a
    /// redirect to the page, without the token in its address; a wrong one gets the 401.
    private func signIn(_ offered: String, secure: Bool) -> ProfilingResponse {
        guard authorization.accepts(offered) else { return BearerAuthorization.challenge }
        return ProfilingResponse(
            status: 303,
            headers: [
                HTTPHeaderField("Location", prefix + "/"),
                HTTPHeaderField("Set-Cookie", DashboardCookie(prefix: prefix).setCookie(token: offered, secure: secure)),
                Self.noStore,
            ],
            body: [])
    }

    private static let noStore = HTTPHeaderField("Cache-Control", "no-store")
    /// The page and the documents: never in another site's frame (clickjacking), never
    /// sniffed into another type, never cached (they sit behind the token).
    private static let pageHeaders = [
        noStore,
        HTTPHeaderField("X-Content-Type-Options", "nosniff"),
        HTTPHeaderField("Content-Security-Policy", "frame-ancestors 'none'"),
        HTTPHeaderField("X-Frame-Options", "DENY"),
    ]

    private static func json(_ value: some Encodable) -> ProfilingResponse {
        ProfilingResponse(
            status: 200, headers: [HTTPHeaderField("Content-Type", "application/json")] + pageHeaders,
            body: DashboardDocument.encode(value))
    }

    /// A short text answer (errors, refusals). Never sniffed into another type nor cached: it
    /// may echo a query's words.
    static func plain(_ status: Int, _ text: String, extra: [HTTPHeaderField] = []) -> ProfilingResponse {
        ProfilingResponse(
            status: status,
            headers: [HTTPHeaderField("Content-Type", "text/plain; charset=utf-8"), HTTPHeaderField("X-Content-Type-Options", "nosniff"), noStore] + extra,
            body: Array(text.utf8))
    }
}
