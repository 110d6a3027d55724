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
        try withLibrary(named: "pltprobe") { library, stubOffset in
            let address = try Self.address(of: stubOffset, in: library)
            let symbol = try #require(DwarfSymbolizer.shared.symbolize([address], resolvingLines: false)[address])
            #expect(symbol.name == "puts@plt", "\(symbol)")
        }
    }

    @Test func aPLTSectionWhoseSizeOverflowsIsIgnoredNotATrap() throws {
        try withLibrary(named: "pltcorrupt", corruptingPLTSize: true) { library, stubOffset in
            let address = try Self.address(of: stubOffset, in: library)
            let symbol = DwarfSymbolizer.shared.symbolize([address], resolvingLines: false)[address]
            #expect(symbol?.name != "puts@plt", "no stub table from a section that wraps around")
        }
    }

    /// Builds the library (optionally with its stub section's size set to nearly 2^64), loads
    /// it and calls `body` with its path and the file offset of its first `puts` stub.
    private func withLibrary(
        named name: String, corruptingPLTSize: Bool = false, _ body: (String, UInt) throws -> Void
    ) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rp-plt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = try SharedLibraryFixture.build(Self.source, named: name, in: folder)
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
        try body(library, UInt(firstStub))
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

/// The section headers of a 64-bit little-endian ELF file, read and patched in place.
private struct ELFSections {
    struct Section { var address: UInt64; var headerOffset: Int }

    let path: String
    private var sections: [String: Section] = [:]

    subscript(name: String) -> Section? { sections[name] }

    init(path: String) throws {
        self.path = path
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        func read<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
            bytes[offset..<offset + MemoryLayout<T>.size].reversed().reduce(T(0)) { $0 << 8 | T($1) }
        }
        try #require(bytes.count > 64 && bytes[0..<4] == [0x7f, 0x45, 0x4c, 0x46] && bytes[4] == 2 && bytes[5] == 1)
        let headersAt = Int(read(UInt64.self, at: 0x28))
        let headerSize = Int(read(UInt16.self, at: 0x3a))
        let count = Int(read(UInt16.self, at: 0x3c))
        let namesIndex = Int(read(UInt16.self, at: 0x3e))
        let namesAt = Int(read(UInt64.self, at: headersAt + namesIndex * headerSize + 0x18))
        for index in 0..<count {
            let header = headersAt + index * headerSize
            let nameStart = namesAt + Int(read(UInt32.self, at: header))
            let nameEnd = bytes[nameStart...].firstIndex(of: 0) ?? nameStart
            let name = String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)
            sections[name] = Section(address: read(UInt64.self, at: header + 0x10), headerOffset: header)
        }
    }

    /// Writes `size` into `section`'s header (`sh_size`, at 0x20 in an Elf64_Shdr).
    func setSize(of section: Section, to size: UInt64) throws {
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? file.close() }
        try file.seek(toOffset: UInt64(section.headerOffset + 0x20))
        try file.write(contentsOf: withUnsafeBytes(of: size.littleEndian) { Data($0) })
    }
}
