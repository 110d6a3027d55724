import CSampler
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The off-path libunwind completion reads the stack copy through bounds checks that must hold
/// for any address libunwind asks for. Found under `scripts/sanitize.sh thread`: with a stack
/// pointer near the top of the address space, `addr + 8` wrapped around, passed the check, and
/// the read landed far outside the copy (a segfault while building a profile).
@Suite struct SnapshotUnwindBoundsTests {
    @Test(arguments: [UInt64(0xFFFF_FFFF_FFFF_FFF0), 0xFFFF_FFFF_FFFF_FFF8, 0xFFFF_FFFF_F278_1527])
    func registersPointingAtTheTopOfTheAddressSpaceAreRefused(stackPointer: UInt64) throws {
        try #require(rp_unwinder_available() != 0, "libunwind is needed (scripts/setup.sh installs it)")
        // At the first instruction of a libc function its return address is at [sp]: the
        // unwinder's first read is exactly the stack pointer given here.
        let function = try #require(dlsym(nil, "write"))
        let count = Self.unwind(pc: UInt(bitPattern: function)) { _ in stackPointer }
        // No crash, and nothing made up: at most the leaf itself.
        #expect(count <= 1)
    }

    /// A library unloaded after the unwinder read the list of images: unwinding a sample whose
    /// pc was in it read its unwind tables through the stale list, from memory no longer
    /// mapped (a segfault while building a profile). The list is checked against glibc's load
    /// counters before each unwind now.
    @Test func anUnloadedLibraryIsNotReadThroughAStaleImageList() throws {
        try #require(rp_unwinder_available() != 0, "libunwind is needed (scripts/setup.sh installs it)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rp-unloaded-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = try SharedLibraryFixture.build(
            "int unloaded_probe(int x) {\n    return x * 5 + 2;\n}\n", named: "unloadedprobe", in: folder)
        let handle = try #require(dlopen(library, RTLD_NOW | RTLD_LOCAL), "dlopen \(library) failed")
        let function = UInt(bitPattern: try #require(dlsym(handle, "unloaded_probe")))
        #expect(rp_unwinder_available() != 0)  // the image list now holds the library
        #expect(dlclose(handle) == 0)

        let count = Self.unwind(pc: function) { base in base + 16 }
        #expect(count <= 1, "nothing is made up for a pc in no loaded image")
    }

    /// `rp_unwind_snapshot` of a one-frame sample at `pc` with a 64-byte stack copy, its stack
    /// pointer given by `stackPointer` from the copy's address.
    private static func unwind(pc: UInt, stackPointer: (_ copyBase: UInt64) -> UInt64) -> Int32 {
        var snapshot = [UInt8](repeating: 0, count: 64)
        var sample = rp_sample()
        sample.flags = UInt32(RP_SAMPLE_SNAPSHOT)
        sample.native_count = 1
        sample.snapshot_size = UInt32(snapshot.count)
        let base = snapshot.withUnsafeBufferPointer { UInt64(UInt(bitPattern: $0.baseAddress)) }
        sample.snapshot_base = base
        withUnsafeMutableBytes(of: &sample.registers) { registers in
            let words = registers.bindMemory(to: UInt64.self)
            words[RP_REG_IP] = UInt64(pc)
            words[RP_REG_SP] = stackPointer(base)
            words[RP_REG_FP] = 0
        }
        var native: [UInt] = [pc]
        var out = [UInt](repeating: 0, count: 64)
        var joined: Int32 = 0
        return snapshot.withUnsafeMutableBufferPointer { copy in
            rp_unwind_snapshot(&sample, &native, copy.baseAddress, &out, Int32(out.count), &joined)
        }
    }
}
