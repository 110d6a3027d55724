/// The dashboard's access check: with a token configured, a request must carry
/// `Authorization: Bearer <token>` or the browser's ``DashboardCookie``, compared in constant
/// time.
struct BearerAuthorization: Sendable {
    /// Without surrounding whitespace; a blank one (set in code) lets no one in.
    let token: String?

    init(token: String?) {
        self.token = token.map { $0.trimmingWhitespace() }
    }

    func allows(authorizationHeader: String?, cookieHeader: String? = nil) -> Bool {
        guard token != nil else { return true }
        // At most a few cookies of the name; each compared in constant time.
        for cookie in DashboardCookie.tokens(inCookieHeader: cookieHeader).prefix(8) where accepts(cookie) { return true }
        guard let header = authorizationHeader?.trimmingWhitespace() else { return false }
        let scheme = "bearer "
        guard header.count > scheme.count, header.prefix(scheme.count).lowercased() == scheme else { return false }
        let given = String(header.dropFirst(scheme.count)).trimmingWhitespace()
        return accepts(given)
    }

    /// Whether `given` is the token (always true without one).
    func accepts(_ given: String) -> Bool {
        guard let token else { return true }
        return ProfilingTrigger.constantTimeEquals(given, token)
    }

    /// 401 with `WWW-Authenticate: Bearer`; a plain answer like the dashboard's other
    /// refusals, so never sniffed into another type nor cached.
    static let challenge = Dashboard.plain(
        401,
        "the dashboard requires an Authorization: Bearer token (in a browser, open the dashboard once as ?token=TOKEN: that sets a cookie)\n",
        extra: [HTTPHeaderField("WWW-Authenticate", "Bearer realm=\"request-profiler\"")])
}
