import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Prints events as JSON lines: to standard output (or another descriptor), or through a
/// swift-log `Logger` so they land wherever the application's logs go.
///
/// On a pipe or socket, lines of at most ``atomicWriteBytes`` are never interleaved with other
/// writers' output. A longer line (an error with a long traceback) is written in pieces, and
/// POSIX guarantees such a write no atomicity: another writer's output on the same pipe (the
/// application's own log lines) can land between its pieces, which nothing short of a lock
/// shared with every writer can prevent. A reader that stalls in the middle of such a line
/// makes the write give up after ``FileDescriptorOutput/longestWaitMilliseconds``, with part of
/// the line in the pipe: the next batch then begins with a newline, so that only the cut line
/// is lost, not the next one as well.
public final class ConsoleExporter: EventExporter {
    public let name = "console"
    private let destination: Destination
    /// How long a write waits for a stalled reader (``FileDescriptorOutput/longestWaitMilliseconds``;
    /// tests shorten it).
    private let longestWaitMilliseconds: Int32
    /// A failed write left part of a line on the descriptor: the next write ends it first.
    /// Set and read on the collector's thread only (the lock is never contended).
    private let leftACutLine = Mutex(false)

    private enum Destination: Sendable {
        case descriptor(Int32)
        case logger(Logger, Logger.Level)
    }

    /// Writes each batch to `fileDescriptor` (standard output by default) in pieces of whole
    /// lines of at most ``atomicWriteBytes`` each.
    public convenience init(fileDescriptor: Int32 = STDOUT_FILENO) {
        self.init(fileDescriptor: fileDescriptor, waitingAtMost: FileDescriptorOutput.longestWaitMilliseconds)
    }

    init(fileDescriptor: Int32, waitingAtMost milliseconds: Int32) {
        destination = .descriptor(fileDescriptor)
        longestWaitMilliseconds = milliseconds
    }

    /// PIPE_BUF on Linux: a write of at most this many bytes to a pipe is never interleaved with
    /// another process's or thread's (the application's own log lines, on the same stdout). A
    /// longer line (an error with a long traceback) is written alone.
    static let atomicWriteBytes = 4_096

    /// Logs each event's JSON (without the newline) as one message at `level`.
    public init(logger: Logger, level: Logger.Level = .info) {
        destination = .logger(logger, level)
        longestWaitMilliseconds = FileDescriptorOutput.longestWaitMilliseconds
    }

    public func export(_ batch: [MetricsEvent]) throws {
        switch destination {
        case .descriptor(let descriptor):
            var bytes = FileDescriptorOutput.encode(batch)
            if leftACutLine.withLock({ $0 }) { bytes.insert(UInt8(ascii: "\n"), at: 0) }
            var start = 0
            while start < bytes.count {
                let end = Self.endOfWholeLines(in: bytes, from: start, atMost: Self.atomicWriteBytes)
                var written = 0
                do {
                    try FileDescriptorOutput.writeAll(
                        bytes[start..<end], to: descriptor, path: "fd \(descriptor)", waitingAtMost: longestWaitMilliseconds,
                        written: &written)
                } catch {
                    // With nothing of this batch written, a line cut before it stays cut.
                    let sent = start + written
                    if sent > 0 { leftACutLine.withLock { $0 = bytes[sent - 1] != UInt8(ascii: "\n") } }
                    throw error
                }
                start = end
            }
            leftACutLine.withLock { $0 = false }
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
