import Synchronization

/// 64-bit random-looking ids without a system call per id.
///
/// `SystemRandomNumberGenerator` asks the kernel (`getrandom`) on every call, which costs more
/// than all the rest of a request's metrics. Trace and span ids need uniqueness and an even
/// spread, not secrecy, so this is SplitMix64 over one shared atomic counter seeded once from
/// the system generator: lock-free, unique until 2^64 ids, and different in every process.
enum IdentifierGenerator {
    private static let state: Atomic<UInt64> = {
        var system = SystemRandomNumberGenerator()
        return Atomic(system.next())
    }()

    private static let golden: UInt64 = 0x9E37_79B9_7F4A_7C15

    static func next() -> UInt64 {
        mix(state.wrappingAdd(golden, ordering: .relaxed).newValue)
    }

    /// Three ids from one atomic step (a request's trace id and span id): the same sequence
    /// as three calls of ``next()``, at a third of the cost in atomic additions, which is
    /// what the ids cost when requests on several cores make them.
    static func nextThree() -> (UInt64, UInt64, UInt64) {
        let last = state.wrappingAdd(golden &* 3, ordering: .relaxed).newValue
        return (mix(last &- golden &* 2), mix(last &- golden), mix(last))
    }

    @inline(__always)
    private static func mix(_ state: UInt64) -> UInt64 {
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
