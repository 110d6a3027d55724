#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A write(2) that failed, with errno's text, so exporter failures are readable in logs.
public struct ExporterIOError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var code: Int32

    public var description: String { "\(operation) \(path): \(String(cString: strerror(code))) (errno \(code))" }
}

/// Writes a whole buffer to a file descriptor, retrying partial writes and EINTR, and waiting
/// for a pipe or socket (to a log reader) to take more: failing with EAGAIN half-way left half
/// a line for the next write to continue.
enum FileDescriptorOutput {
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(ExporterIOError) {
        var written = 0
        try writeAll(bytes[...], to: descriptor, path: path, written: &written)
    }

    /// The most a write to a pipe or socket hands over at once: PIPE_BUF, which a pipe with
    /// room (poll's POLLOUT) takes without blocking.
    static let chunkForAReader = 4_096

    /// How long a write waits, in all, for a non-blocking descriptor to take more: the
    /// collector's one thread serves every exporter, so a reader that stopped reading must not
    /// hold the JSONL and swift-metrics exports for good (the write then fails, and the
    /// exporter is disabled after repeated failures, as before).
    static let longestWaitMilliseconds: Int32 = 5_000

    /// - Parameters:
    ///   - waitingAtMost: how long to wait in all for a reader to make room, in milliseconds
    ///     (tests shorten it).
    ///   - written: the bytes of `bytes` written so far, also when the write fails half-way:
    ///     the caller then knows whether it left part of a line behind.
    static func writeAll(
        _ bytes: ArraySlice<UInt8>, to descriptor: Int32, path: String, waitingAtMost longest: Int32 = longestWaitMilliseconds,
        written: inout Int
    ) throws(ExporterIOError) {
        // A pipe or socket is waited for with poll before each write, also when it blocks
        // (stdout usually does): a reader that stopped (a stalled log driver) held a blocking
        // write, and with it every exporter on the collector's thread, for good. A file never
        // makes a write wait.
        var status = stat()
        let hasAReader = fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT == S_IFIFO || status.st_mode & S_IFMT == S_IFSOCK)
        written = 0
        var waited: Int32 = 0
        while written < bytes.count {
            if hasAReader {
                var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                let result = poll(&ready, 1, 100)
                if result == 0 || (result < 0 && errno == EINTR) {
                    waited += 100
                    guard waited < longest else { throw ExporterIOError(operation: "write", path: path, code: EAGAIN) }
                    continue
                }
            }
            let result = bytes.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress! + written, hasAReader ? min(raw.count - written, chunkForAReader) : raw.count - written)
            }
            if result < 0 {
                let code = errno
                if code == EINTR { continue }
                if (code == EAGAIN || code == EWOULDBLOCK) && waited < longest {
                    var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&ready, 1, 100)
                    waited += 100
                    continue
                }
                throw ExporterIOError(operation: "write", path: path, code: code)
            }
            written += result
        }
    }

    static func close(_ descriptor: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(descriptor)
        #else
        _ = Darwin.close(descriptor)
        #endif
    }

    /// Encodes a batch as JSON lines into one buffer: one write per batch.
    static func encode(_ batch: [MetricsEvent]) -> [UInt8] {
        var bytes: [UInt8] = []
        batch.appendJSONLines(to: &bytes)
        return bytes
    }
}
