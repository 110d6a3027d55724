import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole file only when it is a regular file of bounded size.
///
/// A reports folder can be written by anyone with access to it: a FIFO, a device or a file of
/// many gigabytes may sit under a report's name. `FileManager.contents(atPath:)` reads a
/// regular file of any size, and its refusal of the others (on this Foundation: it checks
/// before it opens) says nothing of why and is not its documented behaviour. Here the file is
/// opened without blocking (`O_NONBLOCK`: a FIFO's `open` cannot wait for a writer), checked
/// with `fstat` on the very descriptor that is read (no window to swap the file between the
/// check and the read), and read up to `limit` bytes.
public enum RegularFileReader {
    /// The largest report read: far above what a profile of the longest allowed duration
    /// (an hour) makes, far below what would take a server's memory.
    public static let largestReportBytes = 256 << 20

    /// Why a file was not read, in a few words.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// Nothing by that name (perhaps deleted since it was listed).
        case missing
        case notRegular
        case tooLarge(bytes: Int, limit: Int)
        case failed(operation: String, code: Int32)

        public var description: String {
            switch self {
            case .missing: "no such file"
            case .notRegular: "not a regular file"
            case .tooLarge(let bytes, let limit): "\(bytes) bytes, more than the \(limit >> 20) MB read at most"
            case .failed(let operation, let code): "\(operation) failed: \(String(cString: strerror(code)))"
            }
        }
    }

    /// The file's bytes. `followsSymlinks` false refuses a symlink as the last component.
    public static func read(_ path: String, limit: Int = largestReportBytes, followsSymlinks: Bool = true) throws(Failure) -> Data {
        var flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC
        if !followsSymlinks { flags |= O_NOFOLLOW }
        let descriptor = open(path, flags)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .missing }
            if code == ELOOP { throw .notRegular }
            throw .failed(operation: "open", code: code)
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .failed(operation: "stat", code: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notRegular }
        let size = Int(info.st_size)
        guard size <= limit else { throw .tooLarge(bytes: size, limit: limit) }
        // Read to the end, not to the size seen: a file may still grow (up to the limit).
        var bytes = [UInt8](repeating: 0, count: min(size, limit) + 1)
        var count = 0
        while true {
            if count == bytes.count {
                guard bytes.count <= limit else { throw .tooLarge(bytes: count, limit: limit) }
                bytes.append(contentsOf: repeatElement(0, count: min(max(bytes.count, 4096), limit + 1 - bytes.count)))
            }
            let read = bytes.withUnsafeMutableBytes { buffer in
                systemRead(descriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if read < 0 {
                if errno == EINTR { continue }
                throw .failed(operation: "read", code: errno)
            }
            if read == 0 { break }
            count += read
        }
        guard count <= limit else { throw .tooLarge(bytes: count, limit: limit) }
        return Data(bytes[..<count])
    }

    private static func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(descriptor, buffer, count)
        #else
        Darwin.read(descriptor, buffer, count)
        #endif
    }
}
