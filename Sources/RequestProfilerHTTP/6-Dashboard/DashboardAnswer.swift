import Dispatch

/// The dashboard's answer to a request: ready, or work that reads files and must not run on
/// the request's own thread.
///
/// Both frameworks run a request's handler (and this middleware) on a thread shared with other
/// requests: Swift's cooperative pool has one per core. Reading and decoding saved reports
/// there for a second would stall every request the thread serves; the work runs on a
/// Dispatch worker thread instead, which Dispatch adds as others block.
@usableFromInline
enum DashboardAnswer: Sendable {
    case ready(ProfilingResponse)
    case offThread(@Sendable () -> ProfilingResponse)

    /// The response, the work done off the caller's thread.
    @usableFromInline
    func response() async -> ProfilingResponse {
        switch self {
        case .ready(let response):
            return response
        case .offThread(let work):
            return await withCheckedContinuation { continuation in
                DispatchQueue.global(qos: .utility).async { continuation.resume(returning: work()) }
            }
        }
    }

    /// The response, the work done on the caller's thread (tests, synchronous callers).
    var responseHere: ProfilingResponse {
        switch self {
        case .ready(let response): response
        case .offThread(let work): work()
        }
    }
}
