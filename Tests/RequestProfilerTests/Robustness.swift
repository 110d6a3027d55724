#if canImport(Glibc)
import Glibc
#endif

/// A workload that exercises the places where a careless signal handler deadlocks or breaks
/// the interrupted code: malloc, the dynamic loader, blocking reads and writes, sleeps, polls.
/// Returns a checksum that must not depend on whether it was profiled.
@inline(never)
func syscallHeavyWorkload(rounds: Int) -> UInt64 {
    var checksum: UInt64 = 14695981039346656037
    func mix(_ value: UInt64) { checksum = (checksum ^ value) &* 1099511628211 }
    for round in 0..<rounds {
        // malloc / free of assorted sizes.
        for size in [16, 256, 4096, 70_000, 1 << 20] {
            let pointer = malloc(size)!
            memset(pointer, Int32(round & 0xff), size)
            mix(UInt64(pointer.load(fromByteOffset: size - 1, as: UInt8.self)))
            free(pointer)
        }
        // The dynamic loader (takes the loader lock that a handler calling libunwind would need).
        if let handle = dlopen("libresolv.so.2", RTLD_NOW | RTLD_LOCAL) ?? dlopen("libz.so.1", RTLD_NOW | RTLD_LOCAL) {
            mix(dlsym(handle, "__res_init") != nil || dlsym(handle, "zlibVersion") != nil ? 1 : 0)
            dlclose(handle)
        }
        // write and read through a pipe.
        var fds: [Int32] = [0, 0]
        if pipe(&fds) == 0 {
            var out = [UInt8](repeating: UInt8(truncatingIfNeeded: round), count: 8192)
            out[0] = 7
            var written = 0
            while written < out.count {
                let left = out.count - written
                let n = out.withUnsafeBytes { write(fds[1], $0.baseAddress! + written, left) }
                if n < 0 { if errno == EINTR { continue } else { break } }
                written += n
            }
            var input = [UInt8](repeating: 0, count: 8192)
            var readCount = 0
            while readCount < input.count {
                let wanted = input.count - readCount
                let n = input.withUnsafeMutableBytes { read(fds[0], $0.baseAddress! + readCount, wanted) }
                if n < 0 { if errno == EINTR { continue } else { break } }
                if n == 0 { break }
                readCount += n
            }
            mix(UInt64(readCount))
            mix(input.reduce(0) { $0 &+ UInt64($1) })
            // poll with a timeout on an empty pipe: EINTR ends it early; well-written code retries.
            var poller = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
            var deadline = timespec()
            clock_gettime(CLOCK_MONOTONIC, &deadline)
            let end = UInt64(deadline.tv_sec) * 1_000_000_000 + UInt64(deadline.tv_nsec) + 2_000_000
            var outcome: Int32 = 0  // 0: timed out, as on an empty pipe it must
            while true {
                var now = timespec()
                clock_gettime(CLOCK_MONOTONIC, &now)
                let current = UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
                if current >= end { break }
                let result = poll(&poller, 1, Int32((end - current) / 1_000_000) + 1)
                if result < 0 && errno == EINTR { continue }
                outcome = result
                break
            }
            mix(UInt64(bitPattern: Int64(outcome)))
            close(fds[0]); close(fds[1])
        }
        // nanosleep returns EINTR with the time left; well-written code sleeps the rest.
        var request = timespec(tv_sec: 0, tv_nsec: 1_000_000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
        mix(UInt64(round))
    }
    return checksum
}

/// Recursion deep enough to need more than 128 frames.
@inline(never)
func deepRecursion(_ depth: Int, nanoseconds: UInt64) -> UInt64 {
    if depth == 0 { return spin(nanoseconds: nanoseconds) }
    return deepRecursion(depth - 1, nanoseconds: nanoseconds) &+ 1
}

/// Entries in a /proc/self directory (threads, file descriptors).
func procEntryCount(_ directory: String) -> Int {
    guard let dir = opendir(directory) else { return -1 }
    defer { closedir(dir) }
    var count = 0
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name != "." && name != ".." { count += 1 }
    }
    return count
}

/// What each open descriptor points at, for failure messages.
func openDescriptors() -> [String] {
    guard let dir = opendir("/proc/self/fd") else { return [] }
    defer { closedir(dir) }
    var result: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name == "." || name == ".." { continue }
        var target = [CChar](repeating: 0, count: 512)
        let length = readlink("/proc/self/fd/" + name, &target, 511)
        result.append(name + "->" + String(decoding: target[0..<max(length, 0)].map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
    return result
}

/// Open descriptors other than the image files (executables, shared libraries, separate debug
/// files) that the symbolizer keeps open as its per-image cache, bounded by the image count.
func nonImageDescriptorCount() -> Int {
    openDescriptors().filter { entry in
        let target = entry.split(separator: ">", maxSplits: 1).last.map(String.init) ?? ""
        let isImage = target.hasPrefix("/") && (target.contains(".so") || target.hasSuffix(".debug") || target.hasSuffix(".xctest"))
        return !isImage
    }.count
}
