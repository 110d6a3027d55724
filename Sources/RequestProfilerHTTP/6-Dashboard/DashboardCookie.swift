import Foundation

/// The cookie that lets a browser use a token-protected dashboard: a browser cannot add an
/// `Authorization` header to a link it follows, so `PREFIX/?token=TOKEN` checks the token once
/// and answers with this cookie and a redirect to the page (which drops the token from the
/// address bar). The cookie is `HttpOnly` (no script reads it), scoped to the prefix, and
/// `Secure` when the sign-in came through an https proxy (`X-Forwarded-Proto: https`); it
/// holds the token itself, percent-encoded, and is checked like the header, in constant time.
///
/// `SameSite=Lax`, not `Strict`: a sign-in link followed from another site (a runbook, a chat
/// message) redirects to the page, and that redirect is part of the cross-site navigation, so
/// a Strict cookie was held back and the user got the 401 (shown in Chromium by
/// `signInFollowedFromAnotherSiteOpensTheDashboard`); so was a report link shared elsewhere.
/// Lax still keeps the cookie out of other sites' frames, images and scripts, and the
/// dashboard only answers GET: a top-level navigation can read or change nothing.
struct DashboardCookie: Sendable {
    static let name = "request_profiler_dashboard"
    /// Twelve hours: a working day, after which the browser asks again.
    static let lifetimeSeconds = 12 * 3600

    let prefix: String

    /// The `Set-Cookie` value that stores `token`; `secure` adds `Secure`.
    func setCookie(token: String, secure: Bool = false) -> String {
        "\(Self.name)=\(Self.encode(token)); Path=\(prefix); Max-Age=\(Self.lifetimeSeconds); HttpOnly; SameSite=Lax"
            + (secure ? "; Secure" : "")
    }

    /// Whether a request reached the server through an https proxy, by the proxy's headers
    /// (`X-Forwarded-Proto: https`, or `Forwarded: ...;proto=https`).
    static func cameOverHTTPS(header: (String) -> String?) -> Bool {
        if let proto = header("X-Forwarded-Proto"), proto.split(separator: ",").first?.trimmingCharacters(in: .whitespaces).lowercased() == "https" {
            return true
        }
        guard let forwarded = header("Forwarded")?.lowercased() else { return false }
        // RFC 7239 allows the value quoted: `proto="https"`.
        return forwarded.split(separator: ",").first?.split(separator: ";").contains {
            let pair = $0.trimmingCharacters(in: .whitespaces)
            return pair == "proto=https" || pair == "proto=\"https\""
        } ?? false
    }

    /// Every token the `Cookie` header carries (`a=1; request_profiler_dashboard=…`), in its
    /// order. A browser may send two of the same name (one from a more specific path or a
    /// sibling subdomain comes first): a stale one must not lock out the right one behind it.
    static func tokens(inCookieHeader header: String?) -> [String] {
        guard let header else { return [] }
        return header.split(separator: ";").compactMap { pair in
            let trimmed = pair.drop { $0 == " " }
            guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == name else { return nil }
            let value = Array(trimmed[trimmed.index(after: equals)...].utf8)
            return value.withUnsafeBufferPointer { QueryString.decode($0) }
        }
    }

    /// Percent-encodes everything but unreserved characters, so any token is a valid cookie value.
    static func encode(_ token: String) -> String {
        token.addingPercentEncoding(withAllowedCharacters: unreserved) ?? token
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
