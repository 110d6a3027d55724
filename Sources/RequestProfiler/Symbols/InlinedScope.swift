import CLibdw
#if canImport(Glibc)
import Glibc
#endif

/// One DW_TAG_inlined_subroutine scope holding an address: a function the compiler inlined
/// there, named as its debug info names it (before demangling), and the place it was called
/// from in the function around it.
struct InlinedScope: Equatable {
    /// The mangled name (DW_AT_linkage_name), which names the function as the symbol table
    /// would; nil for C, whose linkage name is its name.
    var linkageName: String?
    /// DW_AT_name: Swift's is the bare base name (`helper`), C's the whole name.
    var name: String?
    var callFile: String?
    var callLine: Int?
    /// The function inlined into itself: gcc splits a function and inlines a part back into it
    /// (glibc's `read`, inside its own cancellable path), which is one call, not two; its
    /// caller's frame stands for it.
    var isItsCallersFunction = false

    /// The inlined scopes holding `address` (unit-relative, as libdw's line lookups take it)
    /// in `unit`, innermost first, up to the out-of-line function that holds them all.
    ///
    /// libdw's `dwarf_getscopes` walks the unit's entries, skipping functions whose ranges
    /// miss the address, and `dwarf_getscopes_die` walks them again down to the one found, so
    /// the cost grows with the unit's size; it runs once per address
    /// (the symbolizer caches what it finds) and only where lines are resolved.
    static func scopes(holding address: Dwarf_Addr, in unit: inout Dwarf_Die) -> [InlinedScope] {
        // dwarf_getscopes follows an inlined function into its abstract definition (its
        // lexical nesting as written), so only its innermost scope is used; the scopes that
        // physically hold that one, up to the unit, are the inlined calls' chain.
        var holding: UnsafeMutablePointer<Dwarf_Die>?
        let holdingCount = dwarf_getscopes(&unit, address, &holding)
        // Nothing inlined here (most addresses): no second walk.
        guard holdingCount > 0, let holding,
            (0..<Int(holdingCount)).contains(where: { dwarf_tag(holding + $0) == Int32(DW_TAG_inlined_subroutine) })
        else {
            free(holding)
            return []
        }
        var innermost = holding.pointee
        free(holding)
        var found: UnsafeMutablePointer<Dwarf_Die>?
        let count = dwarf_getscopes_die(&innermost, &found)
        defer { free(found) }
        guard count > 0, let found else { return [] }
        var files: OpaquePointer?
        var fileCount = 0
        if dwarf_getsrcfiles(&unit, &files, &fileCount) != 0 { files = nil }
        var scopes: [InlinedScope] = []
        var origins: [Dwarf_Off] = []
        for index in 0..<Int(count) {
            var scope = found[index]
            let tag = dwarf_tag(&scope)
            if tag == Int32(DW_TAG_subprogram) {
                origins.append(origin(of: &scope))
                break
            }
            guard tag == Int32(DW_TAG_inlined_subroutine) else { continue }
            origins.append(origin(of: &scope))
            var callFile: String?
            if let files, let index = unsignedValue(of: UInt32(DW_AT_call_file), in: &scope), index < fileCount,
                let path = dwarf_filesrc(files, Int(index), nil, nil)
            {
                callFile = String(cString: path)
            }
            let callLine = unsignedValue(of: UInt32(DW_AT_call_line), in: &scope).flatMap { $0 > 0 && $0 <= UInt64(Int32.max) ? Int($0) : nil }
            scopes.append(InlinedScope(
                linkageName: string(of: UInt32(DW_AT_linkage_name), in: &scope) ?? string(of: UInt32(DW_AT_MIPS_linkage_name), in: &scope),
                name: dwarf_diename(&scope).map { String(cString: $0) },
                callFile: callFile,
                callLine: callLine))
        }
        for index in scopes.indices where index + 1 < origins.count {
            scopes[index].isItsCallersFunction = origins[index] == origins[index + 1]
        }
        return scopes
    }

    /// Which function a scope is an instance of: the abstract definition an inlined copy or a
    /// concrete out-of-line copy points to, else the scope itself.
    private static func origin(of scope: inout Dwarf_Die) -> Dwarf_Off {
        var attribute = Dwarf_Attribute()
        var abstract = Dwarf_Die()
        if dwarf_formref_die(dwarf_attr(&scope, UInt32(DW_AT_abstract_origin), &attribute), &abstract) != nil {
            return dwarf_dieoffset(&abstract)
        }
        return dwarf_dieoffset(&scope)
    }

    /// An attribute of the scope or of the abstract function it is an instance of
    /// (DW_AT_abstract_origin, where an inlined copy's name lives).
    private static func string(of attribute: UInt32, in scope: inout Dwarf_Die) -> String? {
        var value = Dwarf_Attribute()
        guard let text = dwarf_formstring(dwarf_attr_integrate(&scope, attribute, &value)) else { return nil }
        return String(cString: text)
    }

    private static func unsignedValue(of attribute: UInt32, in scope: inout Dwarf_Die) -> UInt64? {
        var value = Dwarf_Attribute()
        var number: Dwarf_Word = 0
        guard dwarf_formudata(dwarf_attr(&scope, attribute, &value), &number) == 0 else { return nil }
        return UInt64(number)
    }
}
