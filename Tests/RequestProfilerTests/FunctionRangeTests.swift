import ReportTestSupport
import Testing
@testable import RequestProfiler
#if canImport(Glibc)
import Glibc
#endif

/// A function's range is read from its image's symbol table, which the loader never checks: a
/// library whose symbol says its function runs past the end of the address space (a corrupt or
/// hand-patched file) loads and runs, and looking a function up in it must not trap the server.
@Suite struct FunctionRangeTests {
    @Test func aFunctionWhoseSizeOverflowsHasNoRangeNotATrap() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let source = "int range_overflow_probe(int x) {\n    return x * 11 + 5;\n}\nint range_intact_probe(int x) {\n    return x * 13 + 7;\n}\n"
        let path = try SharedLibraryFixture.build(source, named: "rangeoverflowprobe", in: folder.url)
        #expect(try ELFSections(path: path).setSymbolSize(of: "range_overflow_probe", to: .max - 8) > 0)
        let handle = try #require(dlopen(path, RTLD_NOW | RTLD_LOCAL), "dlopen \(path) failed")
        defer { dlclose(handle) }
        let intact = UInt(bitPattern: dlsym(handle, "range_intact_probe"))
        try #require(intact != 0, "no range_intact_probe in \(path)")
        _ = DwarfSymbolizer.shared.symbolize([intact], resolvingLines: false)  // the library is reported
        let symbolizer = DwarfSymbolizer.shared
        #expect(symbolizer.functionRange(named: "range_intact_probe", inImageWithPrefix: "librangeoverflowprobe")?.contains(intact) == true)
        #expect(symbolizer.functionRange(named: "range_overflow_probe", inImageWithPrefix: "librangeoverflowprobe") == nil)
    }
}
