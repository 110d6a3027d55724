import RequestProfiler

/// Settings of the profiling middleware (filled in by the middleware work).
public struct ProfilingSettings: Sendable {}
