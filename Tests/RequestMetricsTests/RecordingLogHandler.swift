import Logging
import Synchronization

/// Keeps every message logged through it, so tests can check what an operator would read.
struct RecordingLogHandler: LogHandler {
    final class Messages: Sendable {
        let storage = Mutex<[(Logger.Level, String)]>([])
        var all: [(Logger.Level, String)] { storage.withLock { $0 } }
    }

    let messages: Messages
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        messages.storage.withLock { $0.append((event.level, event.message.description)) }
    }

    static func logger() -> (Logger, Messages) {
        let messages = Messages()
        return (Logger(label: "test") { _ in RecordingLogHandler(messages: messages) }, messages)
    }
}
