import CLibdw

/// Finds the compile unit covering an address in one image, so libdw can resolve its line.
///
/// libdw's own address-to-unit lookup (`dwarf_addrdie`) finds nothing in the DWARF 5 that
/// Swift 6.3's toolchain emits (measured: `eu-addr2line` answers `??` where binutils'
/// `addr2line` answers), while each unit's line program reads fine. So the address span of
/// every unit is taken from its line program once per image, and the line itself is then
/// resolved by libdw inside that unit.
struct CompileUnitIndex {
    private struct Span { var low: UInt; var high: UInt; var dieOffset: Dwarf_Off }
    private let dwarf: OpaquePointer
    private let bias: UInt
    private let spans: [Span]

    init?(module: OpaquePointer) {
        var bias: Dwarf_Addr = 0
        guard let dwarf = dwfl_module_getdwarf(module, &bias) else { return nil }
        self.dwarf = dwarf
        self.bias = UInt(bias)
        var spans: [Span] = []
        var offset: Dwarf_Off = 0
        var next: Dwarf_Off = 0
        var headerSize = 0
        while dwarf_nextcu(dwarf, offset, &next, &headerSize, nil, nil, nil) == 0 {
            let dieOffset = offset + Dwarf_Off(headerSize)
            var die = Dwarf_Die()
            var lines: OpaquePointer?
            var count = 0
            if dwarf_offdie(dwarf, dieOffset, &die) != nil, dwarf_getsrclines(&die, &lines, &count) == 0, count > 0 {
                var low = UInt.max, high: UInt = 0
                for index in 0..<count {
                    var address: Dwarf_Addr = 0
                    if let line = dwarf_onesrcline(lines, index), dwarf_lineaddr(line, &address) == 0 {
                        low = min(low, UInt(address))
                        high = max(high, UInt(address))
                    }
                }
                if low < high { spans.append(Span(low: low, high: high, dieOffset: dieOffset)) }
            }
            offset = next
        }
        guard !spans.isEmpty else { return nil }
        self.spans = spans.sorted { $0.low < $1.low }
    }

    /// File and line of a runtime address, or nil when no unit's line program covers it.
    func line(at runtimeAddress: UInt) -> (file: String, line: Int)? {
        guard runtimeAddress >= bias else { return nil }
        let address = runtimeAddress - bias
        // Last span starting at or below the address; spans of different units may nest, so
        // look back a few for one that contains it.
        var low = 0, high = spans.count
        while low < high {
            let mid = (low + high) / 2
            if spans[mid].low <= address { low = mid + 1 } else { high = mid }
        }
        var candidate = low - 1
        var tries = 0
        while candidate >= 0, tries < 8 {
            let span = spans[candidate]
            if address < span.high, let found = lookUp(address, in: span) { return found }
            candidate -= 1
            tries += 1
        }
        return nil
    }

    private func lookUp(_ address: UInt, in span: Span) -> (file: String, line: Int)? {
        var die = Dwarf_Die()
        guard dwarf_offdie(dwarf, span.dieOffset, &die) != nil,
              let line = dwarf_getsrc_die(&die, Dwarf_Addr(address)) else { return nil }
        var number: Int32 = 0
        guard dwarf_lineno(line, &number) == 0, number > 0, let file = dwarf_linesrc(line, nil, nil) else { return nil }
        return (String(cString: file), Int(number))
    }
}
