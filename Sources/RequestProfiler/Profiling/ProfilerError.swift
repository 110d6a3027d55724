/// Why a profile could not be taken. The work itself is never the cause: its own errors are
/// rethrown unchanged.
public enum ProfilerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The sampling interval is outside 0.1 ms ... 100 ms.
    case invalidInterval(Duration)
    /// The maximum duration is shorter than a nanosecond or longer than an hour.
    case invalidMaximumDuration(Duration)
    /// Every sampler slot is in use.
    case tooManyConcurrentProfiles(limit: Int)
    /// The operating system refused a resource (timer, thread, memory).
    case samplerUnavailable(String)

    public var description: String {
        switch self {
        case .invalidInterval(let interval):
            "invalid sampling interval \(interval): use a value from 0.1 ms to 100 ms"
        case .invalidMaximumDuration(let duration):
            "invalid maximum profiling duration \(duration): use a positive value of at most one hour"
        case .tooManyConcurrentProfiles(let limit):
            "too many concurrent profiles (at most \(limit) at once)"
        case .samplerUnavailable(let reason):
            "the sampler is unavailable: \(reason)"
        }
    }
}
