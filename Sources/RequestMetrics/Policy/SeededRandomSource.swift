import Synchronization

/// A reproducible random source (SplitMix64) for tests; safe to share between threads.
public final class SeededRandomSource: MetricsRandomSource {
    private let state: Mutex<UInt64>

    public init(seed: UInt64) {
        state = Mutex(seed)
    }

    public func nextUnitInterval() -> Double {
        let bits = state.withLock { state -> UInt64 in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        // The top 53 bits make an exactly representable double in 0..<1.
        return Double(bits >> 11) * 0x1p-53
    }
}
