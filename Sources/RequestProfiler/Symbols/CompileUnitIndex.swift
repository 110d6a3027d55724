import CLibdw

/// Finds the compile unit covering an address in one image, so libdw can resolve its line.
///
/// libdw's own address-to-unit lookup (`dwarf_addrdie`) relies on .debug_aranges, which the
/// Swift 6.3 toolchain does not emit, so it finds nothing (measured: `eu-addr2line` answers
/// `??` where binutils' `addr2line` answers). Each unit's own address ranges (DW_AT_ranges /
/// low_pc) read fine, so they are indexed once per image (32 ms for a 167 MB debug Vapor
/// binary, where parsing every line program up front took 122 ms in C and far longer in
/// Swift), and a line is resolved by libdw inside the one unit that covers it.
struct CompileUnitIndex {
    private let dwarf: OpaquePointer
    private let bias: UInt
    private let spans: AddressSpans
    /// Per unit (by its entry's offset), its functions by address, made on the first address
    /// looked up in it (a class: the index is a value kept in the symbolizer's tables).
    private final class FunctionsByUnit { var units: [Dwarf_Off: UnitFunctions] = [:] }
    private let functionsByUnit = FunctionsByUnit()
    /// Each unit's source file (DW_AT_name, made absolute with DW_AT_comp_dir): tells which
    /// modules were built from the project's own sources (see ``FrameClassifier``).
    let unitFiles: [String]

    init?(module: OpaquePointer) {
        var bias: Dwarf_Addr = 0
        guard let dwarf = dwfl_module_getdwarf(module, &bias) else { return nil }
        self.dwarf = dwarf
        self.bias = UInt(bias)
        var spans: [AddressSpans.Span] = []
        var files: [String] = []
        var offset: Dwarf_Off = 0
        var next: Dwarf_Off = 0
        var headerSize = 0
        while dwarf_nextcu(dwarf, offset, &next, &headerSize, nil, nil, nil) == 0 {
            let dieOffset = offset + Dwarf_Off(headerSize)
            var die = Dwarf_Die()
            if dwarf_offdie(dwarf, dieOffset, &die) != nil {
                if let file = Self.sourceFile(of: &die) { files.append(file) }
                var base: Dwarf_Addr = 0, low: Dwarf_Addr = 0, high: Dwarf_Addr = 0
                var cursor = dwarf_ranges(&die, 0, &base, &low, &high)
                while cursor > 0 {
                    if low < high { spans.append(AddressSpans.Span(low: UInt64(low), high: UInt64(high), offset: dieOffset)) }
                    cursor = dwarf_ranges(&die, cursor, &base, &low, &high)
                }
            }
            offset = next
        }
        guard !spans.isEmpty else { return nil }
        self.spans = AddressSpans(spans)
        unitFiles = files
    }

    private static func sourceFile(of unit: inout Dwarf_Die) -> String? {
        guard let name = dwarf_diename(&unit) else { return nil }
        let file = String(cString: name)
        guard !file.hasPrefix("/") else { return file }
        var attribute = Dwarf_Attribute()
        guard let directory = dwarf_formstring(dwarf_attr(&unit, UInt32(DW_AT_comp_dir), &attribute)) else { return file }
        return String(cString: directory) + "/" + file
    }

    /// Where a runtime address lies in the source: its own file and line, and the functions
    /// inlined there (see ``InlinedScope``), or nil when no unit's line program covers it.
    struct Location {
        /// Nil where the line table says line 0 (code the compiler made, such as a call's
        /// argument set-up) and functions are inlined there, whose chain is still known.
        var file: String?
        var line: Int?
        /// Innermost first; empty where nothing was inlined.
        var inlinedScopes: [InlinedScope]
    }

    /// File and line of a runtime address and the functions inlined there, or nil when no
    /// unit's line program covers it.
    func location(at runtimeAddress: UInt) -> Location? {
        guard runtimeAddress >= bias else { return nil }
        let address = runtimeAddress - bias
        for unit in spans.entries(holding: UInt64(address)) {
            if let found = lookUp(address, inUnitAt: unit) { return found }
        }
        return nil
    }

    private func functions(ofUnitAt offset: Dwarf_Off, unit: inout Dwarf_Die) -> UnitFunctions {
        if let known = functionsByUnit.units[offset] { return known }
        let built = UnitFunctions(unit: &unit)
        functionsByUnit.units[offset] = built
        return built
    }

    private func lookUp(_ address: UInt, inUnitAt unitOffset: Dwarf_Off) -> Location? {
        var die = Dwarf_Die()
        guard dwarf_offdie(dwarf, unitOffset, &die) != nil,
              let line = dwarf_getsrc_die(&die, Dwarf_Addr(address)) else { return nil }
        var number: Int32 = 0
        guard dwarf_lineno(line, &number) == 0 else { return nil }
        let file = number > 0 ? dwarf_linesrc(line, nil, nil).map { String(cString: $0) } : nil
        var scopes: [InlinedScope] = []
        var function = Dwarf_Die()
        if let offset = functions(ofUnitAt: unitOffset, unit: &die).function(holding: UInt64(address)),
            dwarf_offdie(dwarf, offset, &function) != nil
        {
            scopes = InlinedScope.scopes(holding: Dwarf_Addr(address), in: &function, of: &die)
        }
        guard file != nil || !scopes.isEmpty else { return nil }
        return Location(file: file, line: file != nil ? Int(number) : nil, inlinedScopes: scopes)
    }
}
