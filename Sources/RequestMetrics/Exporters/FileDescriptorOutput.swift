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
/// for a non-blocking descriptor (a pipe to a log reader) to take more: failing with EAGAIN
/// half-way left half a line for the next write to continue.
enum FileDescriptorOutput {
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(ExporterIOError) {
        try writeAll(bytes[...], to: descriptor, path: path)
    }

    /// How long a write waits, in all, for a non-blocking descriptor to take more: the
    /// collector's one thread serves every exporter, so a reader that stopped reading must not
    /// hold the JSONL and swift-metrics exports for good (the write then fails, and the
    /// exporter is disabled after repeated failures, as before).
    static let longestWaitMilliseconds: Int32 = 5_000

    static func writeAll(_ bytes: ArraySlice<UInt8>, to descriptor: Int32, path: String) throws(ExporterIOError) {
        var written = 0
        var waited: Int32 = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress! + written, raw.count - written)
            }
            if result < 0 {
                let code = errno
                if code == EINTR { continue }
                if (code == EAGAIN || code == EWOULDBLOCK) && waited < longestWaitMilliseconds {
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
