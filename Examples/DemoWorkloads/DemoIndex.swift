/// The demo servers' front page: what each route does and the URLs that profile it, so
/// `curl localhost:8080/` is enough to find one's way.
public enum DemoIndex {
    public static func text(framework: String, port: Int) -> String {
        let base = "http://127.0.0.1:\(port)"
        return """
            \(framework) request-profiler demo

            Routes (each shows a different kind of time in a profile):
              /cpu?n=1000000       CPU-bound: counts primes by trial division
              /sleep?ms=200        waiting: awaited sleeps standing in for a slow downstream call
              /json?count=10000    JSON encoding of a generated catalog with JSONEncoder
              /db?q=item-1         a real SQLite query (in-memory database, vapor/sqlite-nio)
              /hello               a tiny response (the throughput benchmark's route)
              /fail                throws an error: a 500, recorded among the dashboard's recent errors
              /metrics             Prometheus text exposition (request_profiler_* and the framework's own)
              /_profiler           the request metrics dashboard (PROFILING_DASHBOARD)

            Profile any of them by adding profile=1 (and optionally profile_format=html|text|json|speedscope|collapsed|pprof):
              curl '\(base)/cpu?profile=1&profile_format=text'
              curl -o cpu.html '\(base)/cpu?profile=1'
              curl -o db.speedscope.json '\(base)/db?profile=1&profile_format=speedscope'

            Profiling settings come from PROFILING_* environment variables (see the README);
            the demos turn PROFILING_ENABLED, PROFILING_METRICS and PROFILING_DASHBOARD=/_profiler
            on unless they are set.

            """
    }

    /// PORT from the environment, 8080 when unset or not a port number.
    public static func port(_ environment: [String: String]) -> Int {
        guard let text = environment["PORT"], let port = Int(text), (0...65_535).contains(port) else { return 8080 }
        return port
    }
}
