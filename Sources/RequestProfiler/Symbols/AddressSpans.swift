import CLibdw

/// Address ranges of debug-info entries (units, functions), sorted by start, searched for
/// those holding an address. Ranges may overlap at their edges (a unit's or a function's cold
/// part placed among others'), so the few that start nearest below the address are all tried.
struct AddressSpans {
    struct Span { var low: UInt64; var high: UInt64; var offset: Dwarf_Off }
    private let spans: [Span]

    init(_ spans: [Span]) { self.spans = spans.sorted { $0.low < $1.low } }

    var isEmpty: Bool { spans.isEmpty }

    /// The entries (their offsets) whose ranges hold `address`, nearest start first; of the
    /// eight ranges that start nearest at or below it.
    func entries(holding address: UInt64) -> [Dwarf_Off] {
        var low = 0, high = spans.count
        while low < high {
            let mid = (low + high) / 2
            if spans[mid].low <= address { low = mid + 1 } else { high = mid }
        }
        var found: [Dwarf_Off] = []
        for candidate in stride(from: low - 1, through: max(0, low - 8), by: -1) where address < spans[candidate].high {
            found.append(spans[candidate].offset)
        }
        return found
    }
}
