import Foundation
import Testing
@testable import RequestProfiler
#if canImport(Glibc)
import Glibc
#endif

/// What the symbolizer could not do because the process was at its descriptor limit (EMFILE:
/// a busy server's passing state) is done once descriptors are free again. A report of the
/// modules that could not read /proc/self/maps dropped every module and was not made again;
/// libdwfl remembers a file it could not open in the module for as long as the module lives.
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

    /// Reported, and its file not yet opened: the open fails at the limit.
    @Test func aFileThatCouldNotBeOpenedAtTheLimitIsOpenedLater() throws {
        let library = try LoadedLibrary("int limit_open_probe(int x) {\n    return x * 13 + 7;\n}\n", named: "limitopenprobe")
        defer { library.unload() }
        let address = try library.address(of: "limit_open_probe")
        let libc = UInt(bitPattern: try #require(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "getpid")))
        _ = DwarfSymbolizer.shared.symbolize([libc], resolvingLines: false)  // the report, below the limit
        let atTheLimit = try DescriptorLimit.reached { DwarfSymbolizer.shared.symbolize([address], resolvingLines: false)[address] }
        #expect(atTheLimit?.isResolved == false, "nothing failed at the limit: \(String(describing: atTheLimit))")
        let symbol = symbolizeOnceModulesMayBeReopened(address, resolvingLines: false)
        #expect(symbol?.name == "limit_open_probe", "\(String(describing: symbol))")
    }

    /// Named from the image's own symbol table, and its debug file (split debug info, named by
    /// `.gnu_debuglink`) not yet opened: that open fails at the limit.
    @Test(.enabled(if: !DwarfSymbolizer.debuginfodIsConfigured, "DEBUGINFOD_URLS is set: the .gnu_debuglink search is off"))
    func aDebugFileThatCouldNotBeOpenedAtTheLimitIsOpenedLater() throws {
        let library = try LoadedLibrary("int limit_debug_probe(int x) {\n    return x * 17 + 9;\n}\n", named: "limitdebugprobe", splitDebugInfo: true)
        defer { library.unload() }
        let address = try library.address(of: "limit_debug_probe")
        let named = DwarfSymbolizer.shared.symbolize([address], resolvingLines: false)[address]
        #expect(named?.name == "limit_debug_probe", "\(String(describing: named))")
        let atTheLimit = try DescriptorLimit.reached { DwarfSymbolizer.shared.symbolize([address], resolvingLines: true)[address] }
        #expect(atTheLimit?.line == nil, "nothing failed at the limit: \(String(describing: atTheLimit))")
        let symbol = symbolizeOnceModulesMayBeReopened(address, resolvingLines: true)
        #expect(symbol?.file?.hasSuffix("limitdebugprobe.c") == true && symbol?.line == 1, "\(String(describing: symbol))")
    }

    /// Modules are reopened at most once per `reopeningInterval`, and an earlier test may just
    /// have had some reopened.
    private func symbolizeOnceModulesMayBeReopened(_ address: UInt, resolvingLines: Bool) -> Symbol? {
        Thread.sleep(forTimeInterval: Double(DwarfSymbolizer.reopeningInterval.components.seconds))
        return DwarfSymbolizer.shared.symbolize([address], resolvingLines: resolvingLines)[address]
    }
}
