import Foundation

/// The cookie that lets a browser use a token-protected dashboard: a browser cannot add an
/// `Authorization` header to a link it follows, so `PREFIX/?token=TOKEN` checks the token once
/// and answers with this cookie and a redirect to the page (which drops the token from the
/// address bar). The cookie is `HttpOnly` (no script reads it), `SameSite=Strict` (no other
/// site's page can make the browser send it) and scoped to the prefix; it holds the token
/// itself, percent-encoded, and is checked like the header, in constant time.
struct DashboardCookie: Sendable {
    static let name = "request_profiler_dashboard"
    /// Twelve hours: a working day, after which the browser asks again.
    static let lifetimeSeconds = 12 * 3600

    let prefix: String

    /// The `Set-Cookie` value that stores `token`.
    func setCookie(token: String) -> String {
        "\(Self.name)=\(Self.encode(token)); Path=\(prefix); Max-Age=\(Self.lifetimeSeconds); HttpOnly; SameSite=Strict"
    }

    /// The token a `Cookie` header carries, if any (`a=1; request_profiler_dashboard=…`).
    static func token(inCookieHeader header: String?) -> String? {
        guard let header else { return nil }
        for pair in header.split(separator: ";") {
            let trimmed = pair.drop { $0 == " " }
            guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == name else { continue }
            let value = Array(trimmed[trimmed.index(after: equals)...].utf8)
            return value.withUnsafeBufferPointer { QueryString.decode($0) }
        }
        return nil
    }

    /// Percent-encodes everything but unreserved characters, so any token is a valid cookie value.
    static func encode(_ token: String) -> String {
        token.addingPercentEncoding(withAllowedCharacters: unreserved) ?? token
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
