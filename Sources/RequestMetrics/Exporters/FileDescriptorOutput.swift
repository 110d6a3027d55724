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

    static func writeAll(_ bytes: ArraySlice<UInt8>, to descriptor: Int32, path: String) throws(ExporterIOError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress! + written, raw.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&ready, 1, 1_000)
                    continue
                }
                throw ExporterIOError(operation: "write", path: path, code: errno)
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
