import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a rendered report into the reports directory without ever overwriting a file or
/// leaving that directory, and without a reader ever seeing it half-written.
///
/// The bytes go to a hidden temporary file first (the dashboard serves no dotted name, the
/// command-line tool reads none), which is then published under the report's name with
/// `link`, an atomic step that fails if the name is taken: `request-profiler merge reports/`
/// on a live server's folder, or a dashboard link opened at once, reads a whole report or none.
public struct ReportWriter: Sendable {
    public let directory: String
    /// Free space a written report must leave on the directory's file system.
    public let reserve: DiskReserve

    public init(directory: String, keepingFree reserve: DiskReserve = .none) {
        self.directory = directory
        self.reserve = reserve
    }

    /// Creates the directory if needed and writes `bytes` under `fileName` (which must be a
    /// plain name such as ``ReportFileName`` makes). If the name is taken, `-2`, `-3`, ... is
    /// inserted before the extension. Returns the name actually used. Throws
    /// ``DiskNearlyFullError`` (and writes nothing) when the report would cross ``reserve``.
    public func write(_ bytes: [UInt8], as fileName: String) throws -> String {
        guard Self.isPlainFileName(fileName) else {
            throw CocoaError(.fileWriteInvalidFileName, userInfo: [NSFilePathErrorKey: fileName])
        }
        let directoryURL = URL(fileURLWithPath: directory, isDirectory: true)
        try FileManager.default.createDirectory(at: directoryURL, withIntermediateDirectories: true)
        try checkFreeSpace(for: bytes.count)
        let temporary = directoryURL.appendingPathComponent(".report-\(String(UInt64.random(in: 0...UInt64.max), radix: 16)).tmp")
        // Whatever happens below, the temporary name goes: a disk that filled up (ENOSPC)
        // part-way leaves a truncated file, which must not stay behind.
        defer { unlink(temporary.path) }
        try Data(bytes).write(to: temporary, options: .withoutOverwriting)
        let (stem, fileExtension) = Self.split(fileName)
        for attempt in 1...100 {
            let candidate = attempt == 1 ? fileName : "\(stem)-\(attempt)" + (fileExtension.isEmpty ? "" : ".\(fileExtension)")
            let file = directoryURL.appendingPathComponent(candidate)
            if link(temporary.path, file.path) == 0 { return candidate }
            var code = errno
            if code == EEXIST { continue }
            // A file system without hard links (FUSE mounts answer ENOSYS): a rename publishes
            // the whole file as well, the name checked just before (a report written at that
            // very instant under the same name, by another server sharing the folder, could be
            // replaced).
            if [EPERM, EOPNOTSUPP, ENOTSUP, ENOSYS, EMLINK, EXDEV].contains(code) {
                guard access(file.path, F_OK) != 0 else { continue }
                if rename(temporary.path, file.path) == 0 { return candidate }
                code = errno
            }
            throw CocoaError(.fileWriteUnknown, userInfo: [
                NSFilePathErrorKey: file.path, NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(code)),
            ])
        }
        throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: fileName])
    }

    /// Throws when `count` more bytes, or one more file, would leave less than ``reserve`` free
    /// (of its bytes, or of its inodes). A file system that
    /// cannot tell (`statvfs` fails, or reports no size: ramfs, an unlimited tmpfs, some FUSE
    /// and network mounts) is written to: the write itself then fails if it must.
    private func checkFreeSpace(for count: Int) throws {
        guard reserve != .none else { return }
        var info = statvfs()
        guard statvfs(directory, &info) == 0 else { return }
        if let refusal = Self.refusal(
            blocks: UInt64(info.f_blocks), availableBlocks: UInt64(info.f_bavail), blockSize: UInt64(info.f_frsize),
            reportBytes: UInt64(count), reserve: reserve, directory: directory)
        {
            throw refusal
        }
        if let refusal = Self.refusal(
            files: UInt64(info.f_files), availableFiles: UInt64(info.f_favail), reportBytes: UInt64(count), reserve: reserve,
            directory: directory)
        {
            throw refusal
        }
    }

    /// The error for one more file on a file system of `files` inodes with `availableFiles`
    /// free, or nil when it may be written. Small reports (a few KB of collapsed stacks) run a
    /// file system out of inodes long before out of bytes (ext4 makes one per 16 KB), and then
    /// nothing can be created on it: the server's database and logs neither. The reserve's
    /// share is kept free of the inodes too (none beyond the new file's own when it is a size
    /// only). A file system that does not count them (`files` 0: btrfs) is written to.
    static func refusal(
        files: UInt64, availableFiles: UInt64, reportBytes: UInt64, reserve: DiskReserve, directory: String
    ) -> DiskNearlyFullError? {
        guard files > 0 else { return nil }
        let keep = reserve.fraction.map { UInt64((Double(files) * $0).rounded(.up)) } ?? 0
        guard availableFiles <= keep else { return nil }
        return DiskNearlyFullError(
            directory: directory, availableBytes: 0, reportBytes: reportBytes, keptFreeBytes: 0, reserve: reserve,
            files: DiskNearlyFullError.FileCounts(available: availableFiles, keptFree: keep))
    }

    /// The error for a report of `reportBytes` on a file system of `blocks` blocks of
    /// `blockSize` bytes with `availableBlocks` free, or nil when it may be written. A size of
    /// 0 means the file system does not say: written.
    static func refusal(
        blocks: UInt64, availableBlocks: UInt64, blockSize: UInt64, reportBytes: UInt64, reserve: DiskReserve, directory: String
    ) -> DiskNearlyFullError? {
        guard blocks > 0, blockSize > 0 else { return nil }
        let (size, sizeOverflow) = blocks.multipliedReportingOverflow(by: blockSize)
        let (available, availableOverflow) = availableBlocks.multipliedReportingOverflow(by: blockSize)
        let keep = reserve.bytesToKeepFree(onFileSystemOf: sizeOverflow ? .max : size)
        let (needed, neededOverflow) = keep.addingReportingOverflow(reportBytes)
        guard !availableOverflow, neededOverflow || available < needed else { return nil }
        return DiskNearlyFullError(
            directory: directory, availableBytes: available, reportBytes: reportBytes, keptFreeBytes: keep, reserve: reserve)
    }

    /// Deletes the hidden temporary files (`.report-*.tmp`) that a process killed while
    /// writing left behind, when older than `age` seconds (younger ones may be another
    /// server's, writing into the same folder now). Returns how many were deleted.
    @discardableResult
    public func removeLeftoverTemporaryFiles(olderThan age: TimeInterval = 600) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return 0 }
        let cutoff = Date().addingTimeInterval(-age)
        var removed = 0
        for name in names where Self.isTemporaryFileName(name) {
            let path = URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent(name).path
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
                Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec)) < cutoff, unlink(path) == 0
            else { continue }
            removed += 1
        }
        return removed
    }

    /// Deletes the report `fileName` (a plain name) from the directory.
    public func remove(_ fileName: String) throws {
        guard Self.isPlainFileName(fileName) else {
            throw CocoaError(.fileWriteInvalidFileName, userInfo: [NSFilePathErrorKey: fileName])
        }
        try FileManager.default.removeItem(atPath: URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent(fileName).path)
    }

    /// `.report-HEX.tmp`, the names ``write(_:as:)`` gives its temporary files: nothing else,
    /// so a user's own hidden file is never taken for one.
    static func isTemporaryFileName(_ name: String) -> Bool {
        guard name.hasPrefix(".report-"), name.hasSuffix(".tmp") else { return false }
        let hex = name.dropFirst(".report-".count).dropLast(".tmp".count)
        return !hex.isEmpty && hex.allSatisfy(\.isHexDigit)
    }

    /// No separators, no NUL, not `.`-prefixed (so neither `..` nor hidden files). Checked
    /// byte by byte, as the file system reads the name: `contains("/")` compares Characters, and
    /// a `/` followed by a combining mark (U+0301) is one Character that equals no `/`.
    static func isPlainFileName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: ".") else { return false }
        return !name.utf8.contains { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") || $0 == 0 }
    }

    /// The extension starts at the first dot after the last `-`: a report's name carries a dot
    /// in its timestamp (`20261121-215700.123-GET-hello-1ms.json`) and extensions of two parts
    /// (`.speedscope.json`, `.pb.gz`). A suffix put inside the timestamp would sort the second
    /// report of a second before the first.
    static func split(_ fileName: String) -> (stem: Substring, fileExtension: Substring) {
        let searchStart = fileName.lastIndex(of: "-") ?? fileName.startIndex
        guard let dot = fileName[searchStart...].firstIndex(of: ".") else { return (fileName[...], "") }
        return (fileName[..<dot], fileName[fileName.index(after: dot)...])
    }
}
