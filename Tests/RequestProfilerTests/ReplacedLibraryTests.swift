import Foundation
import Testing
@testable import RequestProfiler
#if canImport(Glibc)
import Glibc
#endif

/// A library deleted or replaced on disk while the server runs (`apt upgrade` renames new
/// libraries over the loaded libc and libssl; a deploy replaces a plugin) still has its
/// functions named from the file that was loaded. /proc/self/maps marks its path " (deleted)";
/// a module reported before the change still names the bare path, where another file now lies.
@Suite struct ReplacedLibraryTests {
    enum Change: String, CaseIterable, Sendable { case renamedOver, deleted }

    @Test(arguments: Change.allCases, [false, true])
    func itsFunctionsAreNamedFromTheLoadedFile(after change: Change, reportedBeforehand: Bool) throws {
        try symbolizeTheProbe(after: change, reportedBeforehand: reportedBeforehand, mayOpenMappedFiles: true)
    }

    /// A server run as an ordinary user may not open its mappings through map_files: the
    /// loaded image is read from memory instead.
    @Test(arguments: Change.allCases, [false, true])
    func withoutThePrivilegeToOpenMappedFilesTheImageIsReadFromMemory(after change: Change, reportedBeforehand: Bool) throws {
        try symbolizeTheProbe(after: change, reportedBeforehand: reportedBeforehand, mayOpenMappedFiles: false)
    }

    /// Without a build ID to compare, the file at the path is told from the loaded one by its
    /// inode.
    @Test func aLibraryWithoutABuildIDIsToldFromItsReplacementByItsInode() throws {
        try symbolizeTheProbe(after: .renamedOver, reportedBeforehand: true, mayOpenMappedFiles: true, buildID: false)
    }

    /// The copy read from memory holds what naming needs (headers, dynamic symbols, notes),
    /// not the library's code or read-only data: it lives as long as the process, in memory
    /// the server's cgroup is charged for, and a deleted ICU data library is some 30 MB.
    @Test func theCopyReadFromMemoryLeavesOutItsCodeAndData() throws {
        let library = try LoadedLibrary(
            """
            const char big_probe_table[16 << 20] = {1};
            int big_library_probe(int x) {
                return big_probe_table[x & 0xff] + x;
            }
            """, named: "bigprobe")
        defer { library.unload() }
        let address = try library.address(of: "big_library_probe")
        try #require(unlink(library.path) == 0)
        let symbol = try MappedFilesPrivilege.withoutIt {
            DwarfSymbolizer.shared.symbolize([address], resolvingLines: false)[address]
        }
        #expect(symbol?.name == "big_library_probe", "\(String(describing: symbol))")
        let copies = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap { entry -> stat? in
            let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + entry)
            guard let target, target.hasPrefix("/memfd:libbigprobe"), let descriptor = Int32(entry) else { return nil }
            var status = stat()
            return fstat(descriptor, &status) == 0 ? status : nil
        }
        let copy = try #require(copies.first, "no copy in memory was made")
        #expect(copy.st_size >= 16 << 20, "laid out as the file: \(copy.st_size) bytes")
        #expect(Int(copy.st_blocks) * 512 < 1 << 20, "\(Int(copy.st_blocks) * 512) bytes of memory held")
    }

    /// Loads a fixture library, makes `change` to its file and checks that its function is
    /// named. `reportedBeforehand`: the symbolizer reports the modules before the change (the
    /// library's by its bare path), without opening the library's file.
    private func symbolizeTheProbe(after change: Change, reportedBeforehand: Bool, mayOpenMappedFiles: Bool, buildID: Bool = true) throws {
        let library = try LoadedLibrary(
            "int replaced_library_probe(int x) {\n    return x * 7 + 3;\n}\n", named: "replacedprobe", buildID: buildID)
        defer { library.unload() }
        let address = try library.address(of: "replaced_library_probe")
        if reportedBeforehand {
            let libc = UInt(bitPattern: try #require(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "getpid")))
            _ = DwarfSymbolizer.shared.symbolize([libc], resolvingLines: false)
        }
        switch change {
        case .renamedOver:
            // The same code under another name, so at the same place: read in place of the
            // loaded file, it names the probe wrongly.
            let other = library.folder.url.appendingPathComponent("other")
            try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
            let replacement = try SharedLibraryFixture.build(
                "int replacement_probe(int x) {\n    return x * 7 + 3;\n}\n", named: "replacedprobe", in: other, buildID: buildID)
            try #require(rename(replacement, library.path) == 0)
        case .deleted:
            try #require(unlink(library.path) == 0)
        }
        let symbolize = { DwarfSymbolizer.shared.symbolize([address], resolvingLines: false)[address] }
        let symbol = try mayOpenMappedFiles ? symbolize() : MappedFilesPrivilege.withoutIt {
            #expect(!MappedFilesPrivilege.opensTheMapping(of: library.path), "map_files still opens: the memory copy goes untested")
            return symbolize()
        }
        #expect(symbol?.name == "replaced_library_probe", "\(String(describing: symbol))")
        #expect(symbol?.imagePath == library.path)
    }
}
