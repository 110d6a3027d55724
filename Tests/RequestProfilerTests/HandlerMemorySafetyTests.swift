import CSampler
import Testing
import RequestProfiler
#if canImport(Glibc)
import Glibc
#endif

/// What the signal handler reads and writes outside the interrupted stack stays safe.
///
/// It follows async-context pointers it read from the interrupted stack;
/// [fp - 8] of a frame the runtime's job runner called is not always a live context (a simple
/// job's saved register, a stale frame record's old context). A context on an unmapped page
/// or an unreadable one ends the chain instead of faulting in the handler and taking the
/// server down.
@Suite(.serialized)
struct HandlerMemorySafetyTests {
    @Test func aContextOnAnUnmappedOrUnreadablePageEndsTheChain() throws {
        #expect(rp_sampler_install() == 0)
        #expect(rp_sampler_refresh_code_ranges() == 0)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let mapped = try #require(mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        try #require(mapped != MAP_FAILED)
        defer { munmap(mapped, page) }
        let first = UInt(bitPattern: mapped)
        let unmapped = first + UInt(page)
        #expect(munmap(UnsafeMutableRawPointer(bitPattern: unmapped), page) == 0)

        // A context whose resume address is code and whose parent lies on the unmapped page.
        let code = unsafeBitCast(rp_sampler_is_code_address as @convention(c) (UInt) -> Int32, to: UInt.self)
        try #require(rp_sampler_is_code_address(code) != 0)
        let words = mapped.assumingMemoryBound(to: UInt.self)
        words[0] = unmapped + 64
        words[1] = code

        var out = [UInt](repeating: 0, count: 8)
        #expect(rp_sampler_follow_context_chain(first, &out, 8) == 1)
        #expect(out[0] == code)
        #expect(rp_sampler_follow_context_chain(unmapped + 64, &out, 8) == 0)

        // Mapped but unreadable (a guard page, an arena's reserved tail): mincore(2) calls it
        // mapped, and a read faults.
        let guarded = try #require(mmap(nil, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        try #require(guarded != MAP_FAILED)
        defer { munmap(guarded, page) }
        words[0] = UInt(bitPattern: guarded) + 32
        #expect(rp_sampler_follow_context_chain(first, &out, 8) == 1)
        #expect(rp_sampler_follow_context_chain(UInt(bitPattern: guarded), &out, 8) == 0)
    }

    /// A page the handler found readable earlier in the session (it held a live context) may
    /// be unmapped since; the first context of a chain, which may be any word a job's frame
    /// held, is always checked, so a word pointing into that page ends the chain. Before, the
    /// page was trusted and the read faulted: the server gone.
    @Test func aPageFoundReadableOnceIsCheckedAgainForAChainsFirstContext() throws {
        #expect(rp_sampler_install() == 0)
        #expect(rp_sampler_refresh_code_ranges() == 0)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let mapped = try #require(mmap(nil, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        try #require(mapped != MAP_FAILED)
        let code = unsafeBitCast(rp_sampler_is_code_address as @convention(c) (UInt) -> Int32, to: UInt.self)
        let words = mapped.assumingMemoryBound(to: UInt.self)
        // Two contexts on the page: the second is the first's parent, so the page is cached.
        words[0] = UInt(bitPattern: mapped) + 64
        words[1] = code
        words[8] = 0
        words[9] = code
        var out = [UInt](repeating: 0, count: 8)
        #expect(rp_sampler_follow_context_chain(UInt(bitPattern: mapped), &out, 8) == 2)
        #expect(munmap(mapped, page) == 0)
        #expect(rp_sampler_follow_context_chain(UInt(bitPattern: mapped) + 32, &out, 8) == 0)
    }

    /// The handler learns whether a context is readable by writing it into a pipe of its own.
    /// An app that closed that pipe's write end and got the number back for a file of its own
    /// (or dup2'd over it) had the handler write process memory into its file; a blocking
    /// descriptor there would have hung the sampled thread. The pipe is checked before every
    /// session and made anew.
    @Test func aProbeDescriptorTheAppReusedIsReplacedBeforeTheNextSession() throws {
        #expect(rp_sampler_install() == 0)
        #expect(rp_sampler_refresh_code_ranges() == 0)
        var readEnd: Int32 = -1, writeEnd: Int32 = -1
        rp_sampler_probe_descriptors(&readEnd, &writeEnd)
        try #require(readEnd >= 0 && writeEnd >= 0)

        let path = "/tmp/rp-probe-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        let file = open(path, O_CREAT | O_RDWR | O_TRUNC, 0o600)
        try #require(file >= 0)
        defer { unlink(path) }
        // What a daemon's "close everything, then open my log" leaves: the write end's number
        // is now the app's file.
        #expect(dup2(file, writeEnd) == writeEnd)
        close(file)
        defer { close(writeEnd); close(readEnd) }

        #expect(rp_sampler_install() == 0)  // what every session's start calls
        var newRead: Int32 = -1, newWrite: Int32 = -1
        rp_sampler_probe_descriptors(&newRead, &newWrite)
        #expect(newWrite != writeEnd && newWrite >= 0 && newRead >= 0)
        // The old read end is left open: a handler on another thread may still be using it.
        #expect(fcntl(readEnd, F_GETFD) != -1)

        // A context on a page not seen before: probed through the pipe, not the app's file.
        let (mapped, page) = try Self.pageWithOneContext()
        defer { munmap(mapped, page) }
        var out = [UInt](repeating: 0, count: 4)
        #expect(rp_sampler_follow_context_chain(UInt(bitPattern: mapped), &out, 4) == 1)
        var status = stat()
        #expect(fstat(writeEnd, &status) == 0)
        #expect(status.st_size == 0, "the handler wrote \(status.st_size) bytes of memory into the app's file")
    }

    /// An app that closes the probe pipe's read end during a session (a double close) made the
    /// handler's next probe raise SIGPIPE, whose default action ends the server. The handler
    /// blocks SIGPIPE while it runs; the probe takes the signal back and gives the pipe up,
    /// and the next session makes a new one. Run here with SIGPIPE blocked as the handler has it.
    @Test func aProbeReadEndClosedDuringASessionRaisesNoSignal() throws {
        #expect(rp_sampler_install() == 0)
        #expect(rp_sampler_refresh_code_ranges() == 0)
        var action = sigaction()
        #expect(sigaction(SIGPROF, nil, &action) == 0)
        #expect(sigismember(&action.sa_mask, SIGPIPE) == 1, "the handler runs with SIGPIPE blocked")

        var readEnd: Int32 = -1, writeEnd: Int32 = -1
        rp_sampler_probe_descriptors(&readEnd, &writeEnd)
        try #require(readEnd >= 0 && writeEnd >= 0)
        let (mapped, page) = try Self.pageWithOneContext()
        defer { munmap(mapped, page) }

        var blockPipe = sigset_t(), previous = sigset_t()
        sigemptyset(&blockPipe)
        sigaddset(&blockPipe, SIGPIPE)
        #expect(pthread_sigmask(SIG_BLOCK, &blockPipe, &previous) == 0)
        close(readEnd)  // the app's double close
        var out = [UInt](repeating: 0, count: 4)
        let frames = rp_sampler_follow_context_chain(UInt(bitPattern: mapped), &out, 4)
        var pending = sigset_t()
        sigpending(&pending)
        let pipePending = sigismember(&pending, SIGPIPE) == 1
        if pipePending {  // taken back here, or unblocking it would end the tests
            var info = siginfo_t()
            var noWait = timespec()
            _ = sigtimedwait(&blockPipe, &info, &noWait)
        }
        #expect(pthread_sigmask(SIG_SETMASK, &previous, nil) == 0)
        #expect(!pipePending, "SIGPIPE left pending: it ends the process once the handler returns")
        #expect(frames == 0, "with no pipe, a context is not trusted")
        var noRead: Int32 = 0, noWrite: Int32 = 0
        rp_sampler_probe_descriptors(&noRead, &noWrite)
        #expect(noRead == -1 && noWrite == -1, "the broken pipe is given up")

        // The next session makes a new pipe, and chains are followed again.
        #expect(rp_sampler_install() == 0)
        var newRead: Int32 = -1, newWrite: Int32 = -1
        rp_sampler_probe_descriptors(&newRead, &newWrite)
        #expect(newRead >= 0 && newWrite >= 0)
        #expect(rp_sampler_follow_context_chain(UInt(bitPattern: mapped), &out, 4) == 1)
        // The old write end, left open by the handler; never the new pipe's number.
        if writeEnd != newRead && writeEnd != newWrite { close(writeEnd) }
    }

    /// A fresh page holding one context: no parent, a resume address that is code.
    static func pageWithOneContext() throws -> (UnsafeMutableRawPointer, Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let mapped = try #require(mmap(nil, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        try #require(mapped != MAP_FAILED)
        let code = unsafeBitCast(rp_sampler_is_code_address as @convention(c) (UInt) -> Int32, to: UInt.self)
        let words = mapped.assumingMemoryBound(to: UInt.self)
        words[0] = 0
        words[1] = code
        return (mapped, page)
    }

    /// The symbolizer reads loaded images' headers through `rp_read_own_memory`, which reports
    /// an address no longer mapped (a library unloaded since) instead of faulting.
    @Test func ownMemoryIsReadWithoutFaultingOnAnUnmappedPage() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let mapped = try #require(mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        try #require(mapped != MAP_FAILED)
        defer { munmap(mapped, page) }
        let bytes = mapped.assumingMemoryBound(to: UInt8.self)
        for index in 0..<16 { bytes[page - 16 + index] = UInt8(index) }
        var copy = [UInt8](repeating: 0xFF, count: 16)
        #expect(rp_read_own_memory(&copy, UInt(bitPattern: mapped) + UInt(page) - 16, 16) == 1)
        #expect(copy == Array(0..<16))
        #expect(munmap(mapped + page, page) == 0)
        #expect(rp_read_own_memory(&copy, UInt(bitPattern: mapped) + UInt(page), 16) == 0, "the unmapped page")
        #expect(rp_read_own_memory(&copy, UInt(bitPattern: mapped) + UInt(page) - 8, 16) == 0, "half on it")
        #expect(rp_read_own_memory(&copy, UInt.max - 8, 16) == 0, "past the end of the address space")
    }

    /// A sample keeps its stack copy's offset in 32 bits: the pool never outgrows them, even at
    /// the largest sample count and copy size.
    @Test func theSnapshotPoolNeverOutgrowsAThirtyTwoBitOffset() {
        #expect(rp_snapshot_pool_bytes(64, 1024) == 65_536)
        #expect(rp_snapshot_pool_bytes(4_000_000, 1024) == 4_096_000_000)
        #expect(rp_snapshot_pool_bytes(5_000_000, 1024) == UInt64(UInt32.max))
        #expect(rp_snapshot_pool_bytes(.max, .max) == UInt64(UInt32.max))
    }

    /// The handler writes stack copies into the snapshot pool as 8-byte words: the pool is
    /// aligned whatever the sample count (an odd one, 60 s at 0.7 ms, left it 4 bytes off).
    @Test(arguments: [64, 65, 94_349])
    func theSnapshotPoolIsAlignedForAnySampleCount(samples: UInt32) throws {
        var config = rp_config()
        config.interval_ns = 1_000_000
        config.max_samples = samples
        config.average_frames = 8
        config.average_snapshot = 64
        var error: Int32 = 0
        let session = try #require(rp_session_create(&config, &error))
        defer { rp_session_destroy(session) }
        let pool = try #require(rp_session_snapshots(session))
        #expect(UInt(bitPattern: pool) % 16 == 0)
    }
}
