/// A byte count as people write it in settings and read it in logs: decimal units (`1.5 GB`,
/// `512 MB`, `800 B`), as `PROFILING_OUTPUT_KEEP_FREE` and the README spell them.
enum ByteCountText {
    static let units: [(name: String, size: UInt64)] = [
        ("TB", 1_000_000_000_000), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("B", 1),
    ]

    static func text(_ count: UInt64) -> String {
        for unit in units where count >= unit.size && unit.size > 1 {
            let value = (Double(count) / Double(unit.size) * 10).rounded() / 10
            let number = value == value.rounded() ? String(Int(value)) : String(value)
            return "\(number) \(unit.name)"
        }
        return "\(count) B"
    }
}
