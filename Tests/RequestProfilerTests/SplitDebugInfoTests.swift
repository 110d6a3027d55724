import Foundation
import Testing
@testable import RequestProfiler
#if canImport(Glibc)
import Glibc
#endif

/// Split debug info, as a deploy ships it (`objcopy --only-keep-debug`, the image stripped of
/// its DWARF, a `.gnu_debuglink` naming the debug file beside it): the symbolizer still finds
/// file and line. The debug-file lookup is the symbolizer's own choice (it never asks a
/// debuginfod server, see DebuginfodTests), so this is its to keep. With DEBUGINFOD_URLS set
/// the `.gnu_debuglink` search is the symbolizer's own (libdw's would end in a server query),
/// which DebuginfodTests checks in a process of its own.
@Suite struct SplitDebugInfoTests {
    @Test func aDebugFileNamedByTheDebugLinkGivesFileAndLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rp-split-debug-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = try SharedLibraryFixture.build(
            "int split_debug_probe(int x) {\n    return x * 3 + 1;\n}\n", named: "splitprobe", in: folder, splitDebugInfo: true)

        let handle = try #require(dlopen(library, RTLD_NOW | RTLD_LOCAL), "dlopen \(library) failed")
        defer { dlclose(handle) }
        let function = try #require(dlsym(handle, "split_debug_probe"))
        let address = UInt(bitPattern: function)
        let symbol = try #require(DwarfSymbolizer.shared.symbolize([address], resolvingLines: true)[address])
        #expect(symbol.name == "split_debug_probe")
        #expect(symbol.file?.hasSuffix("probe.c") == true && symbol.line == 1, "\(symbol)")
    }
}
