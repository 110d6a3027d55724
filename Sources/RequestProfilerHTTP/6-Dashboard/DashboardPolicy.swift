import Foundation

/// The dashboard page's Content-Security-Policy: only its own script runs (it carries a nonce
/// fresh for each response), the page may fetch only from its own origin, and it loads
/// nothing else. Inline style stays allowed: with a nonce on the page's style too, the live
/// refresh's parse of each fresh page (whose style has that response's nonce) was reported by
/// Chromium as a violation every 5 seconds.
///
/// The page shows text that clients and the application's errors wrote (routes, exception
/// messages). It is escaped; this policy is the second wall: markup that got through anyway
/// (an escaping bug like swift-mustache's grapheme-cluster one) could run no script, not even
/// an `onerror=` attribute.
enum DashboardPolicy {
    static let headerName = "Content-Security-Policy"

    static func header(nonce: String) -> HTTPHeaderField {
        HTTPHeaderField(
            headerName,
            "default-src 'none'; script-src 'nonce-\(nonce)'; style-src 'unsafe-inline'; connect-src 'self'; "
                + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
    }

    /// 128 random bits, in base64.
    static func newNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = [generator.next(), generator.next()].flatMap { (word: UInt64) in
            (0..<8).map { UInt8(truncatingIfNeeded: word >> ($0 * 8)) }
        }
        return Data(bytes).base64EncodedString()
    }
}
