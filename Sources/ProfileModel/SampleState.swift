/// What the sampled thread was doing when the timer fired.
public enum SampleState: String, Sendable, Hashable, Codable {
    /// Executing the profiled work (on the CPU or blocked inside a call it made).
    case running
    /// The profiled task was suspended on an `await`; the stack is the awaiting async chain,
    /// recovered when the task resumed, ending in an `.await` frame.
    case suspended
}
