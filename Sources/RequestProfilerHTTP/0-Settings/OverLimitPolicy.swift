/// What to do with a `?profile=1` request when ``ProfilingSettings/maximumConcurrentProfiles``
/// requests are already being profiled. Either way the response carries an `X-Profile-Skipped`
/// header that says why no report was made.
public enum OverLimitPolicy: String, Sendable, CaseIterable {
    /// Serve the request as if it had not asked for a profile.
    case serveUnprofiled = "serve"
    /// Answer 429 Too Many Requests without running the handler.
    case reject
}
