import Foundation
import Testing
import RequestProfiler
#if canImport(Glibc)
import Glibc
#endif

/// The image and debug files the symbolizer keeps open (one descriptor each, for the life of
/// the process) are closed on exec: a server that runs a child process (a shell command, a
/// helper) must not hand it descriptors of its libraries, which the child would hold on to
/// and, once at its own limit, miss.
@Suite struct SymbolizerDescriptorTests {
    @Test func theImageAndDebugFilesItKeepsOpenAreClosedOnExec() throws {
        // Split debug info, so that a debug file is opened too (by `.gnu_debuglink`, or by
        // build ID for libc where its debug package is installed).
        let library = try LoadedLibrary("int cloexec_probe(int x) {\n    return x * 5 + 2;\n}\n", named: "cloexecprobe", splitDebugInfo: true)
        defer { library.unload() }
        let probe = try library.address(of: "cloexec_probe")
        let libc = UInt(bitPattern: try #require(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "getpid")))
        let symbols = DwarfSymbolizer.shared.symbolize([probe, libc], resolvingLines: true)
        #expect(symbols[probe]?.name == "cloexec_probe")

        var inherited: [String] = []
        var seenTheFixture = false
        for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            guard let descriptor = Int32(entry),
                  let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(entry)"),
                  target.hasSuffix(".so") || target.contains(".so.") || target.hasSuffix(".debug")
            else { continue }
            if target.contains(library.folder.url.lastPathComponent) { seenTheFixture = true }
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0, flags & FD_CLOEXEC == 0 { inherited.append("\(descriptor) -> \(target)") }
        }
        #expect(seenTheFixture, "the fixture's files were not open: nothing was checked")
        #expect(inherited.isEmpty, "descriptors a child process would inherit: \(inherited)")
    }
}
