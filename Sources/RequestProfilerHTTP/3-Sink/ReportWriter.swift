import Foundation

/// Writes a rendered report into the reports directory without ever overwriting a file or
/// leaving that directory.
public struct ReportWriter: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// Creates the directory if needed and writes `bytes` under `fileName` (which must be a
    /// plain name such as ``ReportFileName`` makes). If the name is taken, `-2`, `-3`, ... is
    /// inserted before the extension. Returns the name actually used.
    public func write(_ bytes: [UInt8], as fileName: String) throws -> String {
        guard Self.isPlainFileName(fileName) else {
            throw CocoaError(.fileWriteInvalidFileName, userInfo: [NSFilePathErrorKey: fileName])
        }
        let directoryURL = URL(fileURLWithPath: directory, isDirectory: true)
        try FileManager.default.createDirectory(at: directoryURL, withIntermediateDirectories: true)
        let data = Data(bytes)
        let (stem, fileExtension) = Self.split(fileName)
        for attempt in 1...100 {
            let candidate = attempt == 1 ? fileName : "\(stem)-\(attempt).\(fileExtension)"
            let file = directoryURL.appendingPathComponent(candidate)
            do {
                try data.write(to: file, options: .withoutOverwriting)
                return candidate
            } catch CocoaError.fileWriteFileExists {
                continue
            } catch {
                // The name was free, so any file there now is this write's: a disk that filled
                // up (ENOSPC) part-way leaves a truncated report, which must not stay behind.
                try? FileManager.default.removeItem(at: file)
                throw error
            }
        }
        throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: fileName])
    }

    /// Deletes the report `fileName` (a plain name) from the directory.
    public func remove(_ fileName: String) throws {
        guard Self.isPlainFileName(fileName) else {
            throw CocoaError(.fileWriteInvalidFileName, userInfo: [NSFilePathErrorKey: fileName])
        }
        try FileManager.default.removeItem(atPath: URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent(fileName).path)
    }

    /// No separators, no NUL, not `.`-prefixed (so neither `..` nor hidden files).
    static func isPlainFileName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\\") && !name.contains("\0")
    }

    private static func split(_ fileName: String) -> (stem: Substring, fileExtension: Substring) {
        guard let dot = fileName.firstIndex(of: ".") else { return (fileName[...], "") }
        return (fileName[..<dot], fileName[fileName.index(after: dot)...])
    }
}
