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
