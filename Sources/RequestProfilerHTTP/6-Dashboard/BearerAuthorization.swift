/// The dashboard's access check: with a token configured, a request must carry
/// `Authorization: Bearer <token>`, compared in constant time.
struct BearerAuthorization: Sendable {
    let token: String?

    func allows(authorizationHeader: String?) -> Bool {
        guard let token else { return true }
        guard let header = authorizationHeader?.trimmingWhitespace() else { return false }
        let scheme = "bearer "
        guard header.count > scheme.count, header.prefix(scheme.count).lowercased() == scheme else { return false }
        let given = String(header.dropFirst(scheme.count)).trimmingWhitespace()
        return ProfilingTrigger.constantTimeEquals(given, token)
    }

    /// 401 with `WWW-Authenticate: Bearer`.
    static let challenge = ProfilingResponse(
        status: 401,
        headers: [
            HTTPHeaderField("Content-Type", "text/plain; charset=utf-8"),
            HTTPHeaderField("WWW-Authenticate", "Bearer realm=\"request-profiler\""),
        ],
        body: Array("the dashboard requires an Authorization: Bearer token\n".utf8))
}
