import Foundation
import RequestProfiler
import RequestProfilerHTTP

/// What the profiling middleware costs: the fast path every unprofiled request pays (a flag
/// check and a scan of the query string), next to a familiar reference cost measured in the
/// same run, and the extra wall time of one profiled request (session, symbolication, HTML).
func runMiddlewareBenchmark() async throws -> [(name: String, value: String)] {
    try await MiddlewareBenchmark.run()
}

enum MiddlewareBenchmark {
    static let typicalQuery = "page=2&sort=name&filter=active&limit=50"

    static func run() async throws -> [(name: String, value: String)] {
        let disabled = RequestProfilingCore(settings: ProfilingSettings())
        let enabled = RequestProfilingCore(settings: ProfilingSettings(isEnabled: true))
        let url = "http://127.0.0.1:8080/users/42?" + typicalQuery
        let reference = nanosecondsPerCall(iterations: 200_000) {
            URLComponents(string: url)?.queryItems?.contains { $0.name == "profile" } ?? false
        }
        var rows: [(name: String, value: String)] = [
            ("fast path, profiling disabled", perCall(nanosecondsPerCall { disabled.isProfilingRequest(rawQuery: typicalQuery) })),
            ("fast path, enabled, no query", perCall(nanosecondsPerCall { enabled.isProfilingRequest(rawQuery: nil) })),
            ("fast path, enabled, 4-parameter query", perCall(nanosecondsPerCall { enabled.isProfilingRequest(rawQuery: typicalQuery) })),
            ("  reference: URLComponents query parse", perCall(reference)),
        ]
        rows.append(contentsOf: try await profiledRequestCost(core: enabled))
        return rows
    }

    /// Median of five runs of `iterations` calls, in nanoseconds per call.
    static func nanosecondsPerCall(iterations: Int = 2_000_000, _ body: () -> Bool) -> Double {
        var trials: [Double] = []
        var hits = 0
        for _ in 0..<5 {
            let start = ContinuousClock.now
            for _ in 0..<iterations where body() { hits += 1 }
            trials.append(nanoseconds(ContinuousClock.now - start) / Double(iterations))
        }
        if hits == -1 { print(hits) }  // keeps the calls alive
        return trials.sorted()[2]
    }

    /// Wall time of a fixed CPU workload served through `core.handle` with an HTML report,
    /// against the same workload called directly (medians of five, side by side).
    static func profiledRequestCost(core: RequestProfilingCore) async throws -> [(name: String, value: String)] {
        let iterations = 3_000_000
        var direct: [Double] = []
        var profiled: [Double] = []
        for _ in 0..<5 {
            let start = ContinuousClock.now
            _ = SamplerBenchmark.cpuBoundWork(iterations: iterations)
            direct.append(nanoseconds(ContinuousClock.now - start))
            let profiledStart = ContinuousClock.now
            let outcome = try await core.handle(
                rawQuery: "profile=1&profile_format=html", header: { _ in nil }, method: "GET", path: "/bench",
                route: { "/bench" }, status: { _ in 200 },
                next: { SamplerBenchmark.cpuBoundWork(iterations: iterations) })
            profiled.append(nanoseconds(ContinuousClock.now - profiledStart))
            guard case .replaced(let report) = outcome, report.status == 200 else {
                throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "no report"])
            }
        }
        let directMedian = direct.sorted()[2], profiledMedian = profiled.sorted()[2]
        return [
            ("profiled request: handler alone", milliseconds(UInt64(directMedian))),
            ("profiled request: with profile + html", milliseconds(UInt64(profiledMedian))),
        ]
    }

    static func nanoseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
    }

    static func perCall(_ nanoseconds: Double) -> String {
        "\((nanoseconds * 10).rounded() / 10) ns/request"
    }
}
