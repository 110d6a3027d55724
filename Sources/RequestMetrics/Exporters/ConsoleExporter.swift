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

    /// Writes each batch with one `write` to `fileDescriptor` (standard output by default).
    public init(fileDescriptor: Int32 = STDOUT_FILENO) {
        destination = .descriptor(fileDescriptor)
    }

    /// Logs each event's JSON (without the newline) as one message at `level`.
    public init(logger: Logger, level: Logger.Level = .info) {
        destination = .logger(logger, level)
    }

    public func export(_ batch: [MetricsEvent]) throws {
        switch destination {
        case .descriptor(let descriptor):
            try FileDescriptorOutput.writeAll(FileDescriptorOutput.encode(batch), to: descriptor, path: "fd \(descriptor)")
        case .logger(let logger, let level):
            for event in batch {
                logger.log(level: level, "\(event.jsonLine.dropLast())")
            }
        }
    }

    public func flush() throws {}

    public func close() {}
}
