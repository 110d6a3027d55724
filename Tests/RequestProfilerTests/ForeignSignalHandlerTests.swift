import Foundation
import Testing

/// Another SIGPROF handler installed before ours (a second profiler, a runtime's own) still
/// gets its signals: the handler forwards every signal that is not one of its own timer's.
///
/// By the time a test runs, this process installed our handler long ago, so the check runs in
/// a fresh process: the `SignalChainCheck` executable, built beside the test bundle, installs
/// its own counting handler first, then profiles while kill, sigqueue and ITIMER_PROF signals
/// arrive (see Tests/SignalChainCheck/main.swift).
@Suite struct ForeignSignalHandlerTests {
    @Test func handlerInstalledBeforeOursStillGetsItsSignals() throws {
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let checker = binaries.appendingPathComponent("SignalChainCheck")
        try #require(FileManager.default.isExecutableFile(atPath: checker.path), "build SignalChainCheck: \(checker.path)")
        var lastOutput = ""
        // The checker measures CPU work and signal delivery; on a loaded machine give it three tries.
        for _ in 0..<3 {
            let process = Process()
            process.executableURL = checker
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            lastOutput = String(decoding: data, as: UTF8.self)
            if process.terminationReason == .exit, process.terminationStatus == 0 { return }
        }
        Issue.record("SignalChainCheck failed: \(lastOutput)")
    }
}
