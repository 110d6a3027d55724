#if canImport(Glibc)
import Glibc
#endif

/// A small pthread mutex for state touched from executor threads and tasks alike.
/// (Synchronization.Mutex needs a noncopyable owner; this one lives in a class.)
final class Mutex: @unchecked Sendable {
    private let raw = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(raw, nil) }

    deinit {
        pthread_mutex_destroy(raw)
        raw.deallocate()
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(raw)
        defer { pthread_mutex_unlock(raw) }
        return try body()
    }
}
