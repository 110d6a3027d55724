/// Percentiles of a small set of per-request times, interpolated linearly between the two
/// nearest ranks (the common "type 7" definition: the median of 1, 2, 3, 4 is 2.5).
enum Percentile {
    /// The `fraction` (0...1) percentile of `zeros` zeros and `sortedListed` (ascending); 0 for
    /// no values. The zeros are not made: ranks below `zeros` are 0, the others index into
    /// `sortedListed` (per-request times of a frame absent from most requests).
    static func of(sortedListed: [UInt64], zeros: Int, _ fraction: Double) -> UInt64 {
        let count = zeros + sortedListed.count
        guard count > 0 else { return 0 }
        func value(at rank: Int) -> UInt64 { rank < zeros ? 0 : sortedListed[rank - zeros] }
        let position = fraction * Double(count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, count - 1)
        let weight = position - Double(lower)
        return UInt64((Double(value(at: lower)) * (1 - weight) + Double(value(at: upper)) * weight).rounded())
    }
}
