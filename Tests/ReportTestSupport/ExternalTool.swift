import Foundation
import Testing

/// Runs the real consumers of our reports (Chromium, Python's protobuf, Go's
/// pprof) from tests. Shared by the test targets that check reports with them. A missing tool fails the test with the install command CI needs,
/// never a silent skip.
public struct ExternalTool: Sendable {
    public struct Missing: Error, CustomStringConvertible {
        public var tool: String
        public var install: String
        public init(tool: String, install: String) {
            self.tool = tool
            self.install = install
        }

        public var description: String { "\(tool) is required by this test but was not found on PATH. Install it with: \(install)" }
    }

    public struct Result: Sendable {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
    }

    public let path: String

    /// Finds `name` on PATH, or throws `Missing` with `install` as the fix.
    public init(_ name: String, install: String) throws {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        guard let found = directories.map({ "\($0)/\(name)" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Missing(tool: name, install: install)
        }
        path = found
    }

    /// The program at `path` (one a test built or copied).
    public init(at path: String) {
        self.path = path
    }

    public static func python() throws -> ExternalTool {
        try ExternalTool("python3", install: "apt-get install -y python3 python3-pip")
    }

    /// Runs the tool with `arguments`, killing it after `timeout` seconds.
    public func run(_ arguments: [String], timeout: TimeInterval = 120) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain both pipes while the tool runs, so a chatty tool cannot block on a full pipe.
        let outputData = LockedData(), errorData = LockedData()
        let group = DispatchGroup()
        for (pipe, data) in [(output, outputData), (error, errorData)] {
            group.enter()
            DispatchQueue.global().async {
                data.set(pipe.fileHandleForReading.readDataToEndOfFile())
                group.leave()
            }
        }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            // SIGTERM first; a tool that ignores it (a child may inherit a blocked SIGTERM from
            // the test process) gets SIGKILL, and its helpers holding the pipes open are not
            // waited for: one hung tool fails its test instead of hanging the whole run.
            process.terminate()
            if group.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                _ = group.wait(timeout: .now() + 5)
            }
        }
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData.get(), as: UTF8.self),
            standardError: String(decoding: errorData.get(), as: UTF8.self)
        )
    }
}

/// Data filled in by a reader thread and read once it is done.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data } }
}
