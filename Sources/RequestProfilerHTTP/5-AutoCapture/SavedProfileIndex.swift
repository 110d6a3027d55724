import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The registry's memory on disk: one JSON line per saved report (a `profiles.json` entry), in
/// the reports directory.
///
/// Without it a restart forgot every report: the dashboard listed none of them, and the
/// per-route cap of automatic reports counted only the running process's, so each restart left
/// up to `PROFILING_AUTO_KEEP` files per route behind for good. The file is hidden
/// (`.profiles.jsonl`): the dashboard serves no name with a leading dot, and
/// `request-profiler merge DIR` reads `*.json` only.
///
/// Not thread-safe on its own: ``CapturedProfileRegistry`` calls it under its lock. Saves are
/// rare (each one rendered a report first), so a line is appended with its own open and close.
/// A failure is logged and never reaches a request: the reports themselves are saved anyway.
final class SavedProfileIndex: Sendable {
    static let fileName = ".profiles.jsonl"

    let directory: String
    let logger: Logger

    var path: String { directory + "/" + Self.fileName }

    init(directory: String, logger: Logger) {
        self.directory = directory
        self.logger = logger
    }

    /// What ``load()`` found.
    struct Loaded {
        /// The listed reports whose files still exist, oldest first, each file once.
        var profiles: [CapturedProfile]
        /// Lines read, including those left out (unreadable, duplicate, file gone).
        var lineCount: Int
    }

    /// The reports the file lists whose files are still in the directory, in the order they
    /// were saved. A line that does not decode (a torn last line after a crash, a hand edit) is
    /// skipped; a file listed twice keeps its last line. No file: nothing, and no error.
    func load() -> Loaded {
        guard let data = FileManager.default.contents(atPath: path) else { return Loaded(profiles: [], lineCount: 0) }
        let decoder = JSONDecoder()
        var lineCount = 0
        var byFile: [String: Int] = [:]
        var profiles: [CapturedProfile?] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            lineCount += 1
            guard let profile = try? decoder.decode(CapturedProfile.self, from: Data(line)),
                ReportWriter.isPlainFileName(profile.file)
            else { continue }
            if let earlier = byFile[profile.file] { profiles[earlier] = nil }
            byFile[profile.file] = profiles.count
            profiles.append(profile)
        }
        let present = profiles.compactMap { $0 }.filter { FileManager.default.fileExists(atPath: directory + "/" + $0.file) }
        return Loaded(profiles: present, lineCount: lineCount)
    }

    /// Appends `profile`'s line. Returns false (logged) when it could not be written.
    @discardableResult
    func append(_ profile: CapturedProfile) -> Bool {
        // O_NOFOLLOW: a symlink put in the index's place must not make us append elsewhere.
        let descriptor = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else {
            logFailure("open", reason: String(cString: strerror(errno)))
            return false
        }
        defer { close(descriptor) }
        var bytes = Self.encode([profile])
        // A write cut short by a full disk leaves a line without its end. Ending it here keeps
        // it one unreadable line that ``load()`` skips, instead of gluing this line onto it.
        if !Self.endsWithNewline(descriptor) { bytes.insert(UInt8(ascii: "\n"), at: 0) }
        // One write of the whole line with O_APPEND: lines never interleave, even with another
        // process appending to the same file.
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            logFailure("write", reason: written < 0 ? String(cString: strerror(errno)) : "\(written) of \(bytes.count) bytes written")
            return false
        }
        return true
    }

    /// True for an empty file, or one whose last byte is a newline (or that cannot be read:
    /// then a stray empty line costs nothing, ``load()`` skips it).
    private static func endsWithNewline(_ descriptor: Int32) -> Bool {
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size > 0 else { return true }
        var last: UInt8 = 0
        guard pread(descriptor, &last, 1, status.st_size - 1) == 1 else { return true }
        return last == UInt8(ascii: "\n")
    }

    /// Replaces the file with exactly `profiles`' lines, atomically (Foundation writes a
    /// temporary file and renames it), so a crash leaves the old file or the new one, never
    /// half of one.
    @discardableResult
    func rewrite(_ profiles: [CapturedProfile]) -> Bool {
        do {
            try Data(Self.encode(profiles)).write(to: URL(fileURLWithPath: path), options: .atomic)
            return true
        } catch {
            logger.warning("request profiler: could not rewrite the list of saved reports \(path): \(ReportSink.reason(error))")
            return false
        }
    }

    private static func encode(_ profiles: [CapturedProfile]) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes: [UInt8] = []
        for profile in profiles {
            guard let line = try? encoder.encode(profile) else { continue }
            bytes += line
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    private func logFailure(_ call: String, reason: String) {
        logger.warning("request profiler: could not record a saved report in \(path) (\(call): \(reason)); the dashboard will not list it after a restart")
    }
}
