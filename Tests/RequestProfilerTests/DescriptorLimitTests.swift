import Testing
import RequestProfiler
#if canImport(Glibc)
import Glibc
#endif

/// What the symbolizer could not do because the process was at its descriptor limit (EMFILE:
/// a busy server's passing state) is done once descriptors are free again. A report of the
/// modules that could not read /proc/self/maps dropped every module and was not made again.
@Suite(.serialized) struct DescriptorLimitTests {
    /// Loaded, and not yet reported: the report itself fails at the limit.
    @Test func aReportMadeAtTheLimitIsMadeAgain() throws {
        let library = try LoadedLibrary("int limit_report_probe(int x) {\n    return x * 11 + 5;\n}\n", named: "limitreportprobe")
        defer { library.unload() }
        let address = try library.address(of: "limit_report_probe")
        let atTheLimit = try DescriptorLimit.reached { DwarfSymbolizer.shared.symbolize([address], resolvingLines: false)[address] }
        #expect(atTheLimit?.isResolved == false, "nothing failed at the limit: \(String(describing: atTheLimit))")
        let symbol = DwarfSymbolizer.shared.symbolize([address], resolvingLines: false)[address]
        #expect(symbol?.name == "limit_report_probe", "\(String(describing: symbol))")
    }
}
