/// A two-column table printed at the end of a benchmark run.
struct BenchmarkTable {
    private(set) var rows: [(name: String, value: String)] = []

    mutating func add(_ name: String, _ value: String) { rows.append((name, value)) }
    mutating func add(contentsOf more: [(name: String, value: String)]) { rows.append(contentsOf: more) }

    func render() -> String {
        let width = max(rows.map(\.name.count).max() ?? 0, 9)
        var lines = ["measurement".padded(to: width) + " | value", String(repeating: "-", count: width) + "-+-" + String(repeating: "-", count: 28)]
        for row in rows { lines.append(row.name.padded(to: width) + " | " + row.value) }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func padded(to width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}

/// Percentile of already sorted values (nearest rank).
func percentile<T: BinaryInteger>(_ sorted: [T], _ p: Double) -> T {
    guard !sorted.isEmpty else { return 0 }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
}

func formatRatio(_ value: Double) -> String {
    let scaled = (value * 1000).rounded() / 1000
    return "\(scaled)"
}

func milliseconds(_ nanoseconds: UInt64) -> String {
    let value = (Double(nanoseconds) / 1e4).rounded() / 100
    return "\(value) ms"
}
