import Logging
import Synchronization
import Foundation

/// Keeps every message logged through it, as `level: message`, so tests can check what an
/// operator would read.
public final class LogCapture: Sendable {
    private let lines = Mutex<[(message: String, thread: String)]>([])
    private let full = Mutex<[String]>([])

    public init() {}

    public var messages: [String] { lines.withLock { $0.map(\.message) } }

    /// Each message with its metadata (`level: message key=value …`, keys sorted, the
    /// handler's and the call's together, and the error passed along): all the text a log
    /// shows, for checking that a secret appears nowhere in it.
    public var messagesWithMetadata: [String] { full.withLock { $0 } }

    /// Each message with the name of the thread that logged it (where the work was done).
    public var messagesWithThreads: [(message: String, thread: String)] { lines.withLock { $0 } }

    public var logger: Logger {
        Logger(label: "test") { _ in Handler(capture: self) }
    }

    fileprivate func append(_ line: String, metadata: Logger.Metadata, error: (any Error)?) {
        let pairs = metadata.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        full.withLock { $0.append(line + pairs + (error.map { " error=\($0)" } ?? "")) }
        append(line)
    }

    fileprivate func append(_ line: String) {
        // Linux names threads in /proc (glibc's pthread_getname_np is not imported into Swift).
        let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
        let thread = comm.trimmingCharacters(in: .newlines)
        lines.withLock { $0.append((line, thread)) }
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.append(
                "\(event.level): \(event.message)",
                metadata: metadata.merging(event.metadata ?? [:]) { $1 }, error: event.error)
        }
    }
}
