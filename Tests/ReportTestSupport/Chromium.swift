import Foundation

/// Headless Chromium (Debian's `chromium` package) driven from tests: dumps the DOM after the
/// page's scripts ran, collects console messages, takes screenshots.
public struct Chromium: Sendable {
    public struct Page: Sendable {
        /// The DOM as serialised after scripts ran.
        public var dom: String
        /// Lines Chromium logged from the page's console (`console.error`, uncaught exceptions).
        public var consoleMessages: [String]
    }

    let tool: ExternalTool

    public init() throws {
        tool = try ExternalTool("chromium", install: "apt-get install -y chromium")
    }

    private func arguments(profileDirectory: URL) -> [String] {
        [
            "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
            "--user-data-dir=\(profileDirectory.path)",
            "--enable-logging=stderr", "--v=0",
        ]
    }

    /// Loads `url` (a file URL, optionally with a fragment) and returns its DOM and console.
    public func load(_ url: String, in directory: TemporaryDirectory) throws -> Page {
        let profile = directory.url.appendingPathComponent("chromium-\(UUID().uuidString)")
        let result = try tool.run(arguments(profileDirectory: profile) + ["--dump-dom", url])
        let console = result.standardError.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return Page(dom: result.standardOutput, consoleMessages: console)
    }

    /// Saves a screenshot of `url` at `size` to `output`; returns how Chromium exited (its
    /// status and what it printed), for the caller to check.
    @discardableResult
    public func screenshot(_ url: String, to output: URL, size: (width: Int, height: Int), in directory: TemporaryDirectory) throws -> ExternalTool.Result {
        let profile = directory.url.appendingPathComponent("chromium-\(UUID().uuidString)")
        return try tool.run(arguments(profileDirectory: profile) + [
            "--window-size=\(size.width),\(size.height)", "--force-device-scale-factor=1", "--hide-scrollbars", "--screenshot=\(output.path)", url,
        ])
    }
}
