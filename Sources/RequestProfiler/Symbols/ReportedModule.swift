import CLibdw

/// A module as libdwfl holds it: the name it was reported by (the mapped file's path, or the
/// vDSO's) and its address range.
struct ReportedModule: Hashable {
    var name: String
    var range: Range<UInt>

    /// The modules `dwfl` holds now.
    static func all(in dwfl: OpaquePointer) -> [ReportedModule] {
        final class Found { var modules: [ReportedModule] = [] }
        let found = Found()
        _ = dwfl_getmodules(dwfl, { module, _, name, _, argument in
            let found = Unmanaged<Found>.fromOpaque(argument!).takeUnretainedValue()
            var low: Dwarf_Addr = 0
            var high: Dwarf_Addr = 0
            if let module, let name, dwfl_module_info(module, nil, &low, &high, nil, nil, nil, nil) != nil, low < high {
                found.modules.append(ReportedModule(name: String(cString: name), range: UInt(low)..<UInt(high)))
            }
            return Int32(DWARF_CB_OK)
        }, Unmanaged.passUnretained(found).toOpaque(), 0)
        return found.modules
    }

    /// Reports it to `dwfl` again, between `dwfl_report_begin` and `dwfl_report_end`: libdwfl
    /// keeps the module it has by this name and range, with what it loaded of it (so does
    /// `dwfl_linux_proc_report`: a library reloaded in place has to be left out of one report
    /// to be read anew, see `DwarfSymbolizer.reportModules`).
    func report(to dwfl: OpaquePointer) {
        _ = dwfl_report_module(dwfl, name, Dwarf_Addr(range.lowerBound), Dwarf_Addr(range.upperBound))
    }
}
