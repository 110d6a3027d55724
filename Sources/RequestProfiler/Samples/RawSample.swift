/// One sample as recorded, before symbolication: addresses and clocks.
struct RawSample: Sendable {
    /// CLOCK_MONOTONIC at the tick.
    var wallNanoseconds: UInt64
    /// Thread CPU clock at the tick, on the samples where the handler read it.
    var cpuNanoseconds: UInt64?
    /// The thread was in a system call (blocked), so this tick's time was not CPU time.
    var inSyscall: Bool
    /// The thread was idle waiting for the suspended task.
    var isIdle: Bool
    /// Ticks the kernel could not deliver before this one.
    var overrun: UInt32
    /// Addresses to symbolize, leaf first: the interrupted pc as is, return addresses minus one
    /// (so they fall inside the call instruction's function and line), async resume entry
    /// points as is.
    var lookupAddresses: [UInt]
}
