#if canImport(Glibc)
import Glibc
#endif

// Functions the tests profile. `@inline(never)` keeps each one a real frame in any build.

/// Burns CPU for about `nanoseconds` of thread CPU time; returns a value so it is not optimized away.
@inline(never)
func spin(nanoseconds: UInt64) -> UInt64 {
    let end = threadCPUNanoseconds() + nanoseconds
    var x: UInt64 = 0x9E3779B97F4A7C15
    while threadCPUNanoseconds() < end {
        for _ in 0..<200 { x = x &* 6364136223846793005 &+ 1442695040888963407 }
    }
    return x
}

func threadCPUNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

@inline(never) func workloadFifty(_ unit: UInt64) -> UInt64 { spin(nanoseconds: 5 * unit) }
@inline(never) func workloadThirty(_ unit: UInt64) -> UInt64 { spin(nanoseconds: 3 * unit) }
@inline(never) func workloadTwenty(_ unit: UInt64) -> UInt64 { spin(nanoseconds: 2 * unit) }

@inline(never) func busyAlpha(milliseconds: UInt64) -> UInt64 { spin(nanoseconds: milliseconds * 1_000_000) }
@inline(never) func busyBeta(milliseconds: UInt64) -> UInt64 { spin(nanoseconds: milliseconds * 1_000_000) }

// An async call chain whose innermost function spins in its own code (integer operators
// are inlined even in a debug build; only the clock is called): most samples land in the
// outermost partial function itself, the only native frame above the runtime's resume.
@inline(never) func inlineOuter() async -> UInt64 { await inlineMiddle() &+ 1 }
@inline(never) func inlineMiddle() async -> UInt64 {
    await Task.yield()
    return await inlineInner() &+ 1
}
@inline(never) func inlineInner() async -> UInt64 {
    await Task.yield()
    let end = threadCPUNanoseconds() + 150_000_000
    var x: UInt64 = 0x9E3779B97F4A7C15
    while threadCPUNanoseconds() < end {
        var i = 0
        while i < 20_000 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            i &+= 1
        }
    }
    return x
}

// An async call chain: the native stack only shows the running partial function, so the
// callers must come from the async-context chain.
@inline(never) func asyncOuter() async -> UInt64 { await asyncMiddle() &+ 1 }
@inline(never) func asyncMiddle() async -> UInt64 {
    await Task.yield()
    return await asyncInner() &+ 1
}
@inline(never) func asyncInner() async -> UInt64 {
    await Task.yield()
    return spin(nanoseconds: 150_000_000)
}

struct User: Sendable {
    var id: Int
    /// Wall time the awaited sleep took, measured around it.
    var sleptNanoseconds: UInt64
}

func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

@inline(never) func handleRequest() async throws -> User {
    let user = try await fetchUser()
    _ = spin(nanoseconds: 20_000_000)
    return user
}

@inline(never) func fetchUser() async throws -> User {
    let start = monotonicNanoseconds()
    try await Task.sleep(for: .milliseconds(200))
    return User(id: 42, sleptNanoseconds: monotonicNanoseconds() - start)
}

/// Blocks in `read` on a pipe until another thread writes, `rounds` times.
@inline(never) func blockingPipeReader(rounds: Int, delay: UInt32) -> Int {
    var total = 0
    for round in 0..<rounds {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return -1 }
        let writer = fds[1]
        var thread = pthread_t()
        let context = UnsafeMutablePointer<(Int32, UInt32, UInt8)>.allocate(capacity: 1)
        context.initialize(to: (writer, delay, UInt8(truncatingIfNeeded: round)))
        pthread_create(&thread, nil, { raw in
            let context = raw!.assumingMemoryBound(to: (Int32, UInt32, UInt8).self)
            usleep(context.pointee.1)
            var byte = context.pointee.2
            _ = write(context.pointee.0, &byte, 1)
            return nil
        }, context)
        var byte: UInt8 = 0
        var got = -1
        repeat { got = read(fds[0], &byte, 1) } while got < 0 && errno == EINTR
        pthread_join(thread, nil)
        context.deallocate()
        close(fds[0]); close(fds[1])
        total += Int(byte) + got
    }
    return total
}

/// epoll through dlsym: Glibc's Swift module does not import sys/epoll.h.
private enum Epoll {
    typealias Create = @convention(c) (Int32) -> Int32
    typealias Control = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer) -> Int32
    typealias Wait = @convention(c) (Int32, UnsafeMutableRawPointer, Int32, Int32) -> Int32
    static let create = unsafeBitCast(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "epoll_create1"), to: Create.self)
    static let control = unsafeBitCast(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "epoll_ctl"), to: Control.self)
    static let wait = unsafeBitCast(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "epoll_wait"), to: Wait.self)
}

/// Waits in epoll_wait on a descriptor that never becomes ready, for about `milliseconds`.
@inline(never) func epollWaiter(milliseconds: Int) -> Int {
    let epoll = Epoll.create(0)
    var fds: [Int32] = [0, 0]
    guard epoll >= 0, pipe(&fds) == 0 else { return -1 }
    defer { close(epoll); close(fds[0]); close(fds[1]) }
    // struct epoll_event is packed: uint32 events, then 8 bytes of data.
    var event = [UInt8](repeating: 0, count: 12)
    event[0] = 1  // EPOLLIN
    _ = event.withUnsafeMutableBytes { Epoll.control(epoll, 1 /* EPOLL_CTL_ADD */, fds[0], $0.baseAddress!) }
    var ready = [UInt8](repeating: 0, count: 12)
    var calls = 0
    var start = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    while true {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let elapsed = Int(now.tv_sec - start.tv_sec) * 1000 + Int(now.tv_nsec - start.tv_nsec) / 1_000_000
        if elapsed >= milliseconds { break }
        let timeout = Int32(milliseconds - elapsed)
        _ = ready.withUnsafeMutableBytes { Epoll.wait(epoll, $0.baseAddress!, 1, timeout) }
        calls += 1
    }
    return calls
}

/// Writes 1 MiB into a pipe that a slow reader drains, so `write` blocks.
@inline(never) func blockingPipeWriter() -> Int {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { return -1 }
    var reader = pthread_t()
    let readEnd = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    readEnd.initialize(to: fds[0])
    pthread_create(&reader, nil, { raw in
        let fd = raw!.assumingMemoryBound(to: Int32.self).pointee
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            usleep(5_000)
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
        }
        return nil
    }, readEnd)
    let chunk = [UInt8](repeating: 1, count: 65536)
    var written = 0
    while written < 1 << 20 {
        let n = chunk.withUnsafeBytes { write(fds[1], $0.baseAddress!, $0.count) }
        if n < 0 { if errno == EINTR { continue } else { break } }
        written += n
    }
    close(fds[1])
    pthread_join(reader, nil)
    close(fds[0])
    readEnd.deallocate()
    return written
}

/// A function so small that many ticks land in its prologue or epilogue, where the frame
/// pointer still (or again) belongs to its caller.
@inline(never) func tinyLeaf(_ x: UInt64) -> UInt64 { x &* 31 &+ 7 }
@inline(never) func tinyLeafCaller(_ n: Int) -> UInt64 {
    var s: UInt64 = 1
    for _ in 0..<n { s = tinyLeaf(s) }
    return s
}
