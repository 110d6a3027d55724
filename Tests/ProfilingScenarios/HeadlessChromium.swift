import Foundation

/// Debian's `chromium`, headless, loading a URL of a test server and dumping the DOM after
/// the page's scripts ran, with the console lines it logged (uncaught exceptions among them).
/// A missing browser fails the test with the command that installs it (scripts/setup.sh does).
public struct HeadlessChromium: Sendable {
    public struct Page: Sendable {
        public var dom: String
        public var consoleMessages: [String]
    }

    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "chromium is required by this test; install it with: apt-get install -y chromium" }
    }

    let executable: String
    /// A browser profile shared by every `load`, so cookies set by one page are sent by the
    /// next (like one browser); nil: a fresh profile per load.
    let sharedProfile: URL?

    /// `keepsCookies`: every `load` uses one browser profile (removed with `removeProfile()`).
    public init(keepsCookies: Bool = false) throws {
        sharedProfile = keepsCookies
            ? FileManager.default.temporaryDirectory.appendingPathComponent("rp-chromium-\(UUID().uuidString)") : nil
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        guard let found = directories.map({ "\($0)/chromium" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Missing()
        }
        executable = found
    }

    /// Loads `url`; runs off the Swift concurrency pool, so a server in this process keeps serving.
    ///
    /// - Parameter virtualTimeMilliseconds: when set, the page's timers run for this long in
    ///   Chromium's virtual time (which waits for pending fetches) before the DOM is dumped, so
    ///   that a page that updates itself can be checked after a few updates.
    public func load(_ url: String, virtualTimeMilliseconds: Int? = nil) async throws -> Page {
        let executable = self.executable
        let sharedProfile = self.sharedProfile
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    try Self.run(executable, url: url, sharedProfile: sharedProfile, virtualTimeMilliseconds: virtualTimeMilliseconds)
                })
            }
        }
    }

    /// Removes the shared profile of a browser made with `keepsCookies`.
    public func removeProfile() {
        if let sharedProfile { try? FileManager.default.removeItem(at: sharedProfile) }
    }

    private static func run(_ executable: String, url: String, sharedProfile: URL?, virtualTimeMilliseconds: Int?) throws -> Page {
        let profile = sharedProfile ?? FileManager.default.temporaryDirectory.appendingPathComponent("rp-chromium-\(UUID().uuidString)")
        defer { if sharedProfile == nil { try? FileManager.default.removeItem(at: profile) } }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--user-data-dir=\(profile.path)",
            "--enable-logging=stderr", "--v=0",
        ] + (virtualTimeMilliseconds.map { ["--virtual-time-budget=\($0)"] } ?? []) + ["--dump-dom", url]
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("rp-chromium-\(UUID().uuidString).out")
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("rp-chromium-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: output)
            try? FileManager.default.removeItem(at: errors)
        }
        // Files rather than pipes: a chatty browser can never block on a full pipe.
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            // SIGTERM, then SIGKILL: a browser that ignores the first must not hang the run.
            process.terminate()
            let grace = Date().addingTimeInterval(5)
            while process.isRunning && Date() < grace { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        let dom = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        let console = ((try? String(contentsOf: errors, encoding: .utf8)) ?? "")
            .split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return Page(dom: dom, consoleMessages: console)
    }
}
