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
    /// inside `function` (the out-of-line function whose code holds it, see
    /// ``UnitFunctions``), innermost first.
    ///
    /// Walks down from the function through the scopes (inlined calls, blocks) that hold the
    /// address: the entries of one function, not of its unit. Runs once per address (the
    /// symbolizer caches what it finds) and only where lines are resolved.
    static func scopes(holding address: Dwarf_Addr, in function: inout Dwarf_Die, of unit: inout Dwarf_Die) -> [InlinedScope] {
        var inlined: [Dwarf_Die] = []  // outermost first
        var current = function
        descending: for _ in 0..<64 {  // bounded, should malformed DWARF nest without end
            var child = Dwarf_Die()
            guard dwarf_child(&current, &child) == 0 else { break }
            while true {
                let tag = dwarf_tag(&child)
                if tag == Int32(DW_TAG_inlined_subroutine) || tag == Int32(DW_TAG_lexical_block), dwarf_haspc(&child, address) == 1 {
                    if tag == Int32(DW_TAG_inlined_subroutine) { inlined.append(child) }
                    current = child
                    continue descending
                }
                var next = Dwarf_Die()
                guard dwarf_siblingof(&child, &next) == 0 else { break descending }
                child = next
            }
        }
        guard !inlined.isEmpty else { return [] }
        var files: OpaquePointer?
        var fileCount = 0
        if dwarf_getsrcfiles(&unit, &files, &fileCount) != 0 { files = nil }
        var scopes: [InlinedScope] = []
        var origins: [Dwarf_Off] = []
        for var scope in inlined.reversed() {
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
            origins.append(origin(of: &scope))
        }
        origins.append(origin(of: &function))
        for index in scopes.indices {
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
