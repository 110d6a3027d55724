/// Headers sent with every report a server answers with: in place of a profiled response, or
/// served from the reports folder by the dashboard.
///
/// A report shows the application's code, paths and timings, and may be answered to a holder of
/// `PROFILING_TOKEN` only: `no-store` keeps it out of shared caches and CDNs that would serve it
/// again to anyone asking for the same URL. `sandbox allow-scripts` runs an html report's own
/// script in an origin of its own, so that it cannot act as the application (read its cookies,
/// call its routes); `nosniff` keeps a text or json report from being taken for html.
/// `frame-ancestors 'none'` (and `X-Frame-Options: DENY` for browsers without it) keeps
/// another site from framing a report, as the dashboard page itself is never framed.
///
/// The rest of the policy lets a report load nothing and send nothing: an html report is one
/// self-contained page (its script and style inline), so `connect-src 'none'` and `default-src
/// 'none'` cost it nothing, while a report edited in the reports folder, or a slip in escaping,
/// could otherwise `fetch()` or load an image from any host and send the report (source
/// paths, routes, timings) or what a reader types into it there. Inline script stays allowed:
/// a saved report is a file, and its script has no nonce the server could know.
enum ReportIsolation {
    static let policy =
        "sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
        + "connect-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
    static let headers = [
        HTTPHeaderField("Cache-Control", "no-store"),
        HTTPHeaderField("Content-Security-Policy", policy),
        HTTPHeaderField("X-Content-Type-Options", "nosniff"),
        HTTPHeaderField("X-Frame-Options", "DENY"),
    ]
}
