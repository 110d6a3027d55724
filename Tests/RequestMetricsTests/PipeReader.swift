import Foundation
import Synchronization

/// Reads a pipe to its end on a thread of its own, not a task: blocked in `read`, it must not
/// take the concurrency pool's few threads from the test.
final class PipeReader: Sendable {
    private let received = Mutex<[UInt8]>([])
    private let done = DispatchSemaphore(value: 0)

    /// Starts reading `descriptor` at once; `pausingMicroseconds` after each read makes a slow
    /// reader, so that the pipe fills up.
    init(_ descriptor: Int32, pausingMicroseconds pause: UInt32 = 0) {
        Thread { [self] in
            var chunk = [UInt8](repeating: 0, count: 4_096)
            while true {
                let count = read(descriptor, &chunk, chunk.count)
                if count <= 0 { break }
                received.withLock { $0 += chunk[..<count] }
                if pause > 0 { usleep(pause) }
            }
            done.signal()
        }.start()
    }

    /// Everything read, once the pipe's write end is closed.
    func bytesToTheEnd() -> [UInt8] {
        done.wait()
        return received.withLock { $0 }
    }
}
