import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Prints events as JSON lines: to standard output (or another descriptor), or through a
/// swift-log `Logger` so they land wherever the application's logs go.
public final class ConsoleExporter: EventExporter {
    public let name = "console"
    private let destination: Destination

    private enum Destination: Sendable {
        case descriptor(Int32)
        case logger(Logger, Logger.Level)
    }

    /// Writes each batch to `fileDescriptor` (standard output by default) in pieces of whole
    /// lines of at most ``atomicWriteBytes`` each.
    public init(fileDescriptor: Int32 = STDOUT_FILENO) {
        destination = .descriptor(fileDescriptor)
    }

    /// PIPE_BUF on Linux: a write of at most this many bytes to a pipe is never interleaved with
    /// another process's or thread's (the application's own log lines, on the same stdout). A
    /// longer line (an error with a long traceback) is written alone.
    static let atomicWriteBytes = 4_096

    /// Logs each event's JSON (without the newline) as one message at `level`.
    public init(logger: Logger, level: Logger.Level = .info) {
        destination = .logger(logger, level)
    }

    public func export(_ batch: [MetricsEvent]) throws {
        switch destination {
        case .descriptor(let descriptor):
            let bytes = FileDescriptorOutput.encode(batch)
            var start = 0
            while start < bytes.count {
                let end = Self.endOfWholeLines(in: bytes, from: start, atMost: Self.atomicWriteBytes)
                try FileDescriptorOutput.writeAll(bytes[start..<end], to: descriptor, path: "fd \(descriptor)")
                start = end
            }
        case .logger(let logger, let level):
            for event in batch {
                logger.log(level: level, "\(event.jsonLine.dropLast())")
            }
        }
    }

    /// The end of the longest run of whole lines from `start` that fits in `limit` bytes; the
    /// end of the first line when even that one does not fit.
    static func endOfWholeLines(in bytes: [UInt8], from start: Int, atMost limit: Int) -> Int {
        let window = bytes[start..<min(bytes.count, start + limit)]
        if window.endIndex == bytes.count { return bytes.count }
        if let lastNewline = window.lastIndex(of: UInt8(ascii: "\n")) { return lastNewline + 1 }
        return (bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count - 1) + 1
    }

    public func flush() throws {}

    public func close() {}
}
