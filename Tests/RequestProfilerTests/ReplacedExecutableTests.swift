import Foundation
import ReportTestSupport
import Testing

/// A server whose executable is replaced on disk while it runs (`swift build` during a dev
/// session, a deploy that renames a new binary over it) still gets its own frames named: the
/// symbolizer reads the running file through /proc/self/exe, not the path. Run in a fresh
/// process, from a copy of `SignalChainCheck` that replaces itself
/// (`--symbolize-after-replacing-itself`, see Tests/SignalChainCheck/main.swift).
@Suite struct ReplacedExecutableTests {
    @Test(arguments: ["early", "late", "renamed"])
    func ownFunctionsAreNamedAfterTheExecutableIsReplaced(symbolizerSetUp: String) throws {
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let checker = binaries.appendingPathComponent("SignalChainCheck")
        try #require(FileManager.default.isExecutableFile(atPath: checker.path), "build SignalChainCheck: \(checker.path)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rp-replaced-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("SignalChainCheck")
        try FileManager.default.copyItem(at: checker, to: copy)

        let result = try ExternalTool(at: copy.path).run(["--symbolize-after-replacing-itself", symbolizerSetUp], timeout: 60)
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
    }
}
