extension Sequence where Element == UInt64 {
    /// The sum, held at `UInt64.max` instead of trapping. Each saved report's times are checked
    /// on load (at most 2^54 ns rebuilt), but nothing bounds how many reports a command-line
    /// merge combines: 1,024 such reports would overflow a plain sum and crash the tool.
    func saturatingSum() -> UInt64 {
        reduce(0) { $0.saturatingAdding($1) }
    }
}

extension UInt64 {
    /// `self + other`, or `UInt64.max` when that overflows.
    func saturatingAdding(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
