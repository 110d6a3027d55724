import Synchronization

/// A warning that would otherwise repeat with every request, logged once per interval at
/// most, with how many were left out since.
///
/// An automatic profile that cannot start usually cannot start for good (another SIGPROF
/// handler was installed, a sandbox refuses the sampling timer): at rate 0.01 and 10,000
/// requests a second that was a hundred identical warnings a second.
final class ThrottledWarning: Sendable {
    let intervalNanoseconds: UInt64
    private let state = Mutex<(lastLogged: UInt64?, leftOut: Int)>((nil, 0))

    init(intervalNanoseconds: UInt64 = 60_000_000_000) {
        self.intervalNanoseconds = intervalNanoseconds
    }

    /// What a logged warning adds about those left out since the last one: nothing for none.
    static func leftOutNote(_ leftOut: Int) -> String {
        leftOut > 0 ? " (and \(leftOut) more since the last one)" : ""
    }

    /// Whether to log now (monotonic nanoseconds): nil to stay quiet, else how many warnings
    /// were left out since the last one logged.
    func shouldLog(at now: UInt64) -> Int? {
        state.withLock { state in
            if let last = state.lastLogged, now >= last, now - last < intervalNanoseconds {
                state.leftOut += 1
                return nil
            }
            defer { state = (now, 0) }
            return state.leftOut
        }
    }
}
