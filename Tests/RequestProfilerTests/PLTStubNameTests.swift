import Foundation
import Testing
@testable import RequestProfiler
#if canImport(Glibc)
import Glibc
#endif

/// PLT stubs have no symbol of their own; a sample landing in one (a debug build calling C
/// through lazy binding) is named after the function it jumps to. Section headers are not
/// checked by the loader, so corrupt ones must not trap the symbolizer (it runs in the server).
@Suite struct PLTStubNameTests {
    /// A library whose one function calls `puts` through its PLT.
    private static let source = "#include <stdio.h>\nvoid plt_probe(const char *text) {\n    puts(text);\n}\n"

    @Test func anAddressInAStubIsNamedAfterItsTarget() throws {
        try withLibrary(named: "pltprobe") { library, stubOffset, _ in
            let address = try Self.address(of: stubOffset, in: library)
            let symbol = try #require(DwarfSymbolizer.shared.symbolize([address], resolvingLines: false)[address])
            #expect(symbol.name == "puts@plt", "\(symbol)")
        }
    }

    @Test func aPLTSectionWhoseSizeOverflowsIsIgnoredNotATrap() throws {
        try withLibrary(named: "pltcorrupt", corruptingPLTSize: true) { library, stubOffset, _ in
            let address = try Self.address(of: stubOffset, in: library)
            let symbol = DwarfSymbolizer.shared.symbolize([address], resolvingLines: false)[address]
            #expect(symbol?.name != "puts@plt", "no stub table from a section that wraps around")
        }
    }

    /// A library calling an IFUNC of its own through its PLT (glibc's libc does, for its string
    /// functions) has an IRELATIVE relocation for that stub, which names no symbol (index 0):
    /// the stub was named `@plt`. It is left to the fallback, the image and offset.
    @Test func aStubWhoseRelocationNamesNoSymbolIsNotNamedAfterNothing() throws {
        let source = """
            #include <stdio.h>
            static int ifunc_probe_impl(int x) { return x * 5 + 2; }
            static int (*ifunc_probe_resolver(void))(int) { return ifunc_probe_impl; }
            static int ifunc_probe(int x) __attribute__((ifunc("ifunc_probe_resolver")));
            int call_ifunc_probe(int x) {
                puts("probe");
                return ifunc_probe(x);
            }
            """
        try withLibrary(named: "pltifunc", source: source) { library, stubOffset, sections in
            let relocations = try sections.relocationTypes(in: ".rela.plt")
            let index = try #require(relocations.firstIndex(of: Self.irelative), "no IRELATIVE relocation in \(relocations)")
            let address = try Self.address(of: stubOffset + 16 * UInt(index), in: library)
            let symbol = try #require(DwarfSymbolizer.shared.symbolize([address], resolvingLines: false)[address])
            #expect(!symbol.isResolved && symbol.name.hasPrefix("libpltifunc.so+0x"), "\(symbol)")
            let puts = try Self.address(of: stubOffset + 16 * UInt(try #require(relocations.firstIndex(of: Self.jumpSlot))), in: library)
            #expect(DwarfSymbolizer.shared.symbolize([puts], resolvingLines: false)[puts]?.name == "puts@plt")
        }
    }

    #if arch(arm64)
    private static let jumpSlot: UInt32 = 1026  // R_AARCH64_JUMP_SLOT
    private static let irelative: UInt32 = 1032  // R_AARCH64_IRELATIVE
    #else
    private static let jumpSlot: UInt32 = 7  // R_X86_64_JUMP_SLOT
    private static let irelative: UInt32 = 37  // R_X86_64_IRELATIVE
    #endif

    /// Builds the library (optionally with its stub section's size set to nearly 2^64), loads
    /// it and calls `body` with its path, the file offset of its first stub and its sections.
    private func withLibrary(
        named name: String, source: String = Self.source, corruptingPLTSize: Bool = false, _ body: (String, UInt, ELFSections) throws -> Void
    ) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rp-plt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = try SharedLibraryFixture.build(source, named: name, in: folder)
        let sections = try ELFSections(path: library)
        // With IBT the stubs live in `.plt.sec` (entry 0 is the first stub), else in `.plt` after
        // the resolver's entries.
        let (stubs, firstStub): (ELFSections.Section, UInt64) = try {
            if let secondary = sections[".plt.sec"] { return (secondary, secondary.address) }
            let plt = try #require(sections[".plt"], "the library has no .plt")
            return (plt, plt.address + 16 * UInt64(PLTStubNames.resolverEntries))
        }()
        if corruptingPLTSize { try sections.setSize(of: stubs, to: UInt64.max - 8) }
        let handle = try #require(dlopen(library, RTLD_NOW | RTLD_LOCAL), "dlopen \(library) failed")
        defer { dlclose(handle) }
        try body(library, UInt(firstStub), sections)
    }

    /// The run-time address of `offset` (a link-time address) in the loaded `library`: its
    /// load base is where its first mapping (file offset 0) starts in /proc/self/maps.
    private static func address(of offset: UInt, in library: String) throws -> UInt {
        // Read to the end (a /proc file says its size is 0, and a read sized by that can stop early).
        let file = try #require(FileHandle(forReadingAtPath: "/proc/self/maps"))
        defer { try? file.close() }
        let maps = String(decoding: try file.readToEnd() ?? Data(), as: UTF8.self)
        let line = try #require(maps.split(separator: "\n").first { $0.hasSuffix(" " + library) && $0.split(separator: " ")[2] == "00000000" })
        let start = try #require(line.split(separator: "-").first.flatMap { UInt($0, radix: 16) })
        return start + offset
    }
}
