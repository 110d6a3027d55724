import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The process's soft limit on descriptors (RLIMIT_NOFILE), lowered for a moment to see what
/// the symbolizer does at it, as a busy server's can be.
enum DescriptorLimit {
    private static let descriptors = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)

    /// Runs `body` with the limit at the lowest free descriptor, so that no file can be
    /// opened (EMFILE) until it returns; the limit is restored whatever `body` does. Keep
    /// `body` short: every thread of the process is at the limit meanwhile.
    static func reached<T>(_ body: () throws -> T) throws -> T {
        var limit = rlimit()
        try #require(getrlimit(descriptors, &limit) == 0)
        let lowestFree = open("/dev/null", O_RDONLY | O_CLOEXEC)
        try #require(lowestFree >= 0)
        close(lowestFree)
        var lowered = limit
        lowered.rlim_cur = rlim_t(lowestFree)
        try #require(setrlimit(descriptors, &lowered) == 0)
        defer { _ = setrlimit(descriptors, &limit) }
        return try body()
    }
}
