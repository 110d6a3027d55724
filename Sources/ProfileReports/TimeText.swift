/// Formats nanosecond times and shares for the html and text reports, with integer
/// arithmetic so the output is exact, locale-free and identical on every platform (the
/// golden files depend on it).
enum TimeText {
    /// Seconds with millisecond precision, pyinstrument's style: `0.123`.
    static func seconds(_ nanoseconds: UInt64) -> String {
        // Rounded without adding first: a time near UInt64.max (a profile built in code, a
        // clock difference that wrapped) must not trap the report.
        let milliseconds = nanoseconds / 1_000_000 + (nanoseconds % 1_000_000 >= 500_000 ? 1 : 0)
        return "\(milliseconds / 1000).\(padded(milliseconds % 1000, to: 3))"
    }

    /// A share of `total` with one decimal: `42.5%`. Zero when `total` is zero.
    static func percent(_ part: UInt64, of total: UInt64) -> String {
        guard total > 0 else { return "0.0%" }
        // Exact while `part * 1000` fits; beyond (sums of many reports' times, a crafted report
        // whose CPU time dwarfs its wall time) in floating point, capped, instead of trapping.
        let tenths: UInt64 = part <= (UInt64.max - total / 2) / 1000
            ? (part * 1000 + total / 2) / total
            : UInt64(min(Double(part) / Double(total) * 1000, 1e15).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// A fraction (0.01) as a percentage with one decimal: `1.0%`.
    static func percent(fraction: Double) -> String {
        // NaN and infinities (a threshold set in code) read as 0 and as the largest share.
        let millionths = fraction.isNaN ? 0 : min(max(0, fraction) * 1_000_000, 1e15)
        return percent(UInt64(millionths.rounded()), of: 1_000_000)
    }

    /// A duration in the unit that reads best: `850 µs`, `12.3 ms`, `1.234 s`.
    static func readable(_ nanoseconds: UInt64) -> String {
        if nanoseconds < 1_000_000 {
            return "\((nanoseconds + 500) / 1000) µs"
        }
        if nanoseconds < 1_000_000_000 {
            let tenths = (nanoseconds + 50_000) / 100_000
            return "\(tenths / 10).\(tenths % 10) ms"
        }
        return "\(seconds(nanoseconds)) s"
    }

    private static func padded(_ value: UInt64, to width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
