import Testing
@testable import RequestProfiler
#if canImport(Glibc)
import Glibc
#endif

/// A library loaded or unloaded (dlopen, dlclose) makes the symbolizer forget the addresses in
/// the images that came or went, and only those: every other address it knew keeps its name,
/// where it forgot them all and looked each up again, for every profile after a plugin load.
@Suite struct ImageChangeCacheTests {
    @Test func anAddressInAnImageThatStayedIsStillKnown() throws {
        let libc = UInt(bitPattern: try #require(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "getpid")))
        _ = DwarfSymbolizer.shared.symbolize([libc], resolvingLines: true)
        let library = try LoadedLibrary("int cache_stay_probe(int x) {\n    return x * 19 + 4;\n}\n", named: "cachestayprobe")
        defer { library.unload() }
        let probe = try library.address(of: "cache_stay_probe")
        #expect(DwarfSymbolizer.shared.symbolize([probe], resolvingLines: false)[probe]?.name == "cache_stay_probe")
        #expect(DwarfSymbolizer.shared.cachedSymbol(at: libc)?.name.contains("getpid") == true)
    }

    /// The image's addresses are forgotten, so that one loaded where it was is named anew.
    @Test func anAddressInAnUnloadedImageIsForgotten() throws {
        let library = try LoadedLibrary("int cache_gone_probe(int x) {\n    return x * 23 + 6;\n}\n", named: "cachegoneprobe")
        let probe = try library.address(of: "cache_gone_probe")
        #expect(DwarfSymbolizer.shared.symbolize([probe], resolvingLines: true)[probe]?.name == "cache_gone_probe")
        library.unload()
        let libc = UInt(bitPattern: try #require(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "getpid")))
        _ = DwarfSymbolizer.shared.symbolize([libc], resolvingLines: false)  // the report after the unload
        #expect(DwarfSymbolizer.shared.cachedSymbol(at: probe) == nil)
    }
}
