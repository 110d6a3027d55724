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
enum ReportIsolation {
    static let headers = [
        HTTPHeaderField("Cache-Control", "no-store"),
        HTTPHeaderField("Content-Security-Policy", "sandbox allow-scripts; frame-ancestors 'none'"),
        HTTPHeaderField("X-Content-Type-Options", "nosniff"),
        HTTPHeaderField("X-Frame-Options", "DENY"),
    ]
}
