/// Percentiles of a small set of per-request times, interpolated linearly between the two
/// nearest ranks (the common "type 7" definition: the median of 1, 2, 3, 4 is 2.5).
enum Percentile {
    /// The `fraction` (0...1) percentile of `values`; 0 for no values.
    static func of(_ values: [UInt64], _ fraction: Double) -> UInt64 {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let position = fraction * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let weight = position - Double(lower)
        return UInt64((Double(sorted[lower]) * (1 - weight) + Double(sorted[upper]) * weight).rounded())
    }
}
