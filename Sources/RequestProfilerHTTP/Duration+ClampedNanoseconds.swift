extension Duration {
    /// The duration in whole nanoseconds, clamped to what `UInt64` holds: 0 for a negative one
    /// (`.milliseconds(-1)`), `UInt64.max` for one of more than 584 years (`.seconds(Int64.max)`).
    /// Durations reach the core through public initializers; converting them with plain
    /// arithmetic trapped on both and took the server down at start.
    var clampedNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        // A negative duration has a negative part: `.milliseconds(-1)` is 0 s and -10^15 as.
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let (whole, overflowed) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let (total, carried) = whole.addingReportingOverflow(UInt64(attoseconds / 1_000_000_000))
        return overflowed || carried ? .max : total
    }
}
