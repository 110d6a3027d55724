import CSampler
import Foundation
import ReportTestSupport
import Testing
import RequestProfiler
#if canImport(Glibc)
import Glibc
#endif

/// The symbolizer lets go of the pages of the image and debug files it mapped (the heap
/// trimmer does it once profiling is idle): they leave the resident set, no data is lost, and
/// symbolization reads them back.
@Suite(.serialized)
struct MappedFilePagesTests {
    /// Letting go of pages must not load what was never loaded: the Swift runtime's debug
    /// files are opened for their symbol tables only when lines are not resolved, and asking
    /// them for their DWARF decompressed it onto the heap (measured: resident memory rose by
    /// about 9 MB where it should fall). Run in a fresh process (`SignalChainCheck
    /// --release-without-lines`): the symbolizer is set up once per process.
    @Test func releasingPagesLoadsNoDebugInfo() throws {
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let checker = binaries.appendingPathComponent("SignalChainCheck")
        try #require(FileManager.default.isExecutableFile(atPath: checker.path), "build SignalChainCheck: \(checker.path)")
        let result = try ExternalTool(at: checker.path).run(["--release-without-lines"], timeout: 60)
        let match = try #require(result.standardOutput.firstMatch(of: /resident before ([0-9]+) after ([0-9]+)/), "\(result.standardOutput)\(result.standardError)")
        let (before, after) = (Int(match.1) ?? 0, Int(match.2) ?? 0)
        #expect(before > 0)
        #expect(after < before + 1_048_576, "resident memory grew by \((after - before) / 1024) KB while letting go of pages")
    }

    @Test func onlyTheFilesOwnPagesAreDroppedAndWrittenPagesKeepTheirData() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let pages = 16
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("file-pages").path
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0o600)
        try #require(fd >= 0, "could not create \(path): errno \(errno)")
        defer { close(fd) }
        var contents = [UInt8](repeating: 0, count: pages * page)
        for index in contents.indices { contents[index] = UInt8(truncatingIfNeeded: index / page + 1) }
        #expect(write(fd, contents, contents.count) == contents.count)
        // A private, writable mapping, as libelf may make: a page written to becomes the
        // process's own copy, which must never be dropped.
        let mapped = try #require(mmap(nil, contents.count, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0))
        try #require(mapped != MAP_FAILED)
        defer { munmap(mapped, contents.count) }
        let bytes = mapped.assumingMemoryBound(to: UInt8.self)
        var sum = 0
        for index in 0..<pages { sum += Int(bytes[index * page]) }  // every page resident
        #expect(sum == (1...pages).reduce(0, +))
        bytes[3 * page + 7] = 0xAB  // page 3: a private copy now

        let dropped = rp_drop_file_pages(mapped, contents.count)
        #expect(dropped == (pages - 1) * page)
        #expect(bytes[3 * page + 7] == 0xAB)
        for index in 0..<pages where index != 3 {
            #expect(bytes[index * page + 11] == UInt8(index + 1))  // read back from the file
        }
    }

    @Test func symbolizerReleasesItsFilesAndStillSymbolizesAfterwards() async throws {
        let profiler = Profiler(configuration: .init(interval: .microseconds(500)))
        _ = try await profiler.profile { busyAlpha(milliseconds: 30) }  // opens and reads the files
        let fileBefore = residentFileKilobytes()
        let dropped = DwarfSymbolizer.shared.releaseMappedFilePages()
        #expect(dropped > 0)
        #expect(residentFileKilobytes() < fileBefore)

        // Code symbolized for the first time after the release reads the files again.
        let (_, profile) = try await profiler.profile { mappedPagesWorkload(milliseconds: 30) }
        let frame = try #require(profile.frames.first { $0.name.contains("mappedPagesWorkload") })
        #expect(frame.file?.hasSuffix("MappedFilePagesTests.swift") == true)
        #expect((frame.line ?? 0) > 0)
    }

    private func residentFileKilobytes() -> Int {
        guard let status = fopen("/proc/self/status", "r") else { return 0 }
        defer { fclose(status) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), status) != nil {
            let text = line.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            if text.hasPrefix("RssFile:") { return Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0 }
        }
        return 0
    }
}

@inline(never) func mappedPagesWorkload(milliseconds: UInt64) -> UInt64 { spin(nanoseconds: milliseconds * 1_000_000) }
