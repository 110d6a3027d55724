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
