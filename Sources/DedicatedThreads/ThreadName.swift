#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Names for the threads the package starts (the metrics drain, the report builders).
package enum ThreadName {
    /// Names the calling thread, at most 15 bytes (the Linux limit), so it shows in top, perf
    /// and gdb. Not through `Thread.current.name`: corelibs Foundation applies that only once
    /// the creating thread has stored the new thread's handle, which races with the new thread
    /// itself; then the thread kept the name it inherited from its creator (a dispatch
    /// worker's "-qos.overcommit", measured). Linux: written to /proc/thread-self/comm, as
    /// glibc's `pthread_setname_np` (not imported into Swift) does for another thread.
    package static func setCurrent(_ name: String) {
        #if canImport(Glibc)
        let file = open("/proc/thread-self/comm", O_WRONLY)
        guard file >= 0 else { return }
        _ = name.withCString { write(file, $0, strlen($0)) }
        close(file)
        #elseif canImport(Darwin)
        _ = pthread_setname_np(name)
        #endif
    }
}
