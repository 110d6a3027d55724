import Foundation
import ReportTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Symbolizing never goes to the network. Distributions set `DEBUGINFOD_URLS` in login shells
/// (Ubuntu, Fedora), and libdw's standard lookup then downloads the debug files of libc, the
/// Swift runtime and every other library a sample touched (hundreds of megabytes, seconds to
/// minutes) while the symbolizer holds the lock every profile needs.
///
/// The symbolizer is set up once per process, so the check runs in a fresh one: the
/// `SignalChainCheck` executable with `--symbolize-runtime` (libc and the Swift concurrency
/// runtime), with `DEBUGINFOD_URLS` pointing at a listening socket of this test
/// that counts who connects.
@Suite struct DebuginfodTests {
    @Test func symbolizingAsksNoDebuginfodServer() throws {
        let run = try Self.runChecker(["--symbolize-runtime"])
        #expect(run.exitedCleanly, "\(run.printed)")
        #expect(run.connections == 0, "the symbolizer asked a debuginfod server \(run.connections) times")
    }

    /// Split debug info beside a library (a `.gnu_debuglink` naming it, as a deploy ships it)
    /// is found with DEBUGINFOD_URLS set too. Only the build-ID folder was searched then, and
    /// a server's login shell lost file and line of every such library.
    @Test func aDebugFileBesideTheLibraryIsFoundWithoutAServer() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let library = try SharedLibraryFixture.build(
            "int debuglink_probe(int x) {\n    return x * 17 + 9;\n}\n", named: "debuglinkprobe", in: folder.url, splitDebugInfo: true)
        let run = try Self.runChecker(["--symbolize-library", library, "debuglink_probe"])
        #expect(run.exitedCleanly && run.printed.contains("debuglinkprobe.c:1"), "\(run.printed)")
        #expect(run.connections == 0, "the symbolizer asked a debuginfod server \(run.connections) times")
    }

    /// Runs `SignalChainCheck` with `arguments` and DEBUGINFOD_URLS pointing at a listening
    /// socket of this test; returns what it printed, whether it exited with 0, and how many
    /// connections the socket was asked for.
    private static func runChecker(_ arguments: [String]) throws -> (printed: String, exitedCleanly: Bool, connections: Int) {
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let checker = binaries.appendingPathComponent("SignalChainCheck")
        try #require(FileManager.default.isExecutableFile(atPath: checker.path), "build SignalChainCheck: \(checker.path)")

        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0 && listen(listener, 64) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        let port = UInt16(bigEndian: address.sin_port)

        let process = Process()
        process.executableURL = checker
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["DEBUGINFOD_URLS"] = "http://127.0.0.1:\(port)"
        environment["DEBUGINFOD_TIMEOUT"] = "2"
        // The client remembers misses for ten minutes in its cache: a fresh one, so that a
        // miss remembered from an earlier run cannot hide a query.
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("rp-debuginfod-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        environment["DEBUGINFOD_CACHE_PATH"] = cache.path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        // Connections made while the child ran wait in the backlog: count them.
        _ = fcntl(listener, F_SETFL, fcntl(listener, F_GETFL) | O_NONBLOCK)
        var connections = 0
        while case let client = accept(listener, nil, nil), client >= 0 {
            connections += 1
            close(client)
        }
        return (printed, process.terminationReason == .exit && process.terminationStatus == 0, connections)
    }
}
