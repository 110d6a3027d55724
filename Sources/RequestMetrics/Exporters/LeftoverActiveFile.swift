#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The active JSONL file a previous run left behind.
///
/// A run that ended cleanly renamed its file; one that was killed (SIGKILL after a hung
/// shutdown, the OOM killer) may have been in the middle of a batch's `write`, leaving a last
/// line without its end. Renamed as it is, that line would reach the readers of rotated files,
/// who are promised whole lines only.
enum LeftoverActiveFile {
    /// Cuts the file at `path` back to the end of its last whole line (to nothing when it holds
    /// no newline at all). Best effort: a file that cannot be read or cut is left as it is.
    static func cutToLastWholeLine(_ path: String) {
        // Not through a symlink: only the exporter's own file is cut.
        let descriptor = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return }
        defer { FileDescriptorOutput.close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_size > 0 else { return }
        guard let wholeLength = lengthOfWholeLines(descriptor, size: Int64(info.st_size)), wholeLength < Int64(info.st_size)
        else { return }
        _ = ftruncate(descriptor, off_t(wholeLength))
    }

    /// The `ts_ns` of the file's first line (`{"kind":"REQ","ts_ns":1764748800123456789,...`),
    /// nil when the file cannot be read or its first line does not begin so: the wall-clock time
    /// of the first event written into it, which an exporter that takes the file over rotates it
    /// by.
    static func firstLineTime(_ path: String) -> UInt64? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return nil }
        defer { FileDescriptorOutput.close(descriptor) }
        // The key comes second, after the kind: its value ends well within these bytes.
        var head = [UInt8](repeating: 0, count: 128)
        let count = head.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, $0.count, 0) }
        guard count > 0 else { return nil }
        let line = head[..<count].prefix { $0 != UInt8(ascii: "\n") }
        guard let key = line.firstRange(of: Array("\"ts_ns\":".utf8)) else { return nil }
        let digits = line[key.upperBound...].prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        // Digits up to the end of what was read may go on beyond it.
        guard digits.endIndex < line.endIndex else { return nil }
        return UInt64(String(decoding: digits, as: UTF8.self))
    }

    /// The offset just past the last newline, read backwards in chunks; nil on a read error.
    private static func lengthOfWholeLines(_ descriptor: Int32, size: Int64) -> Int64? {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var end = size
        while end > 0 {
            let start = max(0, end - Int64(chunk.count))
            let wanted = Int(end - start)
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, wanted, off_t(start)) }
            guard count == wanted else { return nil }
            if let last = chunk[..<wanted].lastIndex(of: UInt8(ascii: "\n")) {
                return start + Int64(last) + 1
            }
            end = start
        }
        return 0
    }
}
