import CLibdw

/// The functions of one compile unit that have code, by address: where the search for the
/// functions inlined at an address starts (see ``InlinedScope``).
///
/// libdw's own search (`dwarf_getscopes`) does not look inside entries that have no address of
/// their own, and Swift puts every function of a module inside the unit's DW_TAG_module (and
/// methods inside their type): in Swift code it found nothing, so no inlined function was ever
/// shown. Built once per unit, in one walk of its entries (a release build's unit is a whole
/// module), and then searched by address.
final class UnitFunctions {
    private let spans: AddressSpans

    init(unit: inout Dwarf_Die) {
        var spans: [AddressSpans.Span] = []
        Self.collect(in: &unit, into: &spans, depth: 0)
        self.spans = AddressSpans(spans)
    }

    /// The entry (its offset) of the function whose code holds the unit-relative `address`.
    func function(holding address: UInt64) -> Dwarf_Off? {
        spans.entries(holding: address).first
    }

    /// Functions with code among the children of `parent`, looking inside the entries that
    /// only group others (modules, namespaces, types), not inside functions.
    private static func collect(in parent: inout Dwarf_Die, into spans: inout [AddressSpans.Span], depth: Int) {
        guard depth < 32 else { return }  // no real nesting is this deep; malformed DWARF might be
        var child = Dwarf_Die()
        guard dwarf_child(&parent, &child) == 0 else { return }
        while true {
            switch dwarf_tag(&child) {
            case Int32(DW_TAG_subprogram):
                var base: Dwarf_Addr = 0, low: Dwarf_Addr = 0, high: Dwarf_Addr = 0
                var cursor = dwarf_ranges(&child, 0, &base, &low, &high)
                while cursor > 0 {
                    if low < high { spans.append(AddressSpans.Span(low: UInt64(low), high: UInt64(high), offset: dwarf_dieoffset(&child))) }
                    cursor = dwarf_ranges(&child, cursor, &base, &low, &high)
                }
            case Int32(DW_TAG_module), Int32(DW_TAG_namespace), Int32(DW_TAG_structure_type), Int32(DW_TAG_class_type),
                Int32(DW_TAG_union_type), Int32(DW_TAG_enumeration_type):
                collect(in: &child, into: &spans, depth: depth + 1)
            default:
                break
            }
            var next = Dwarf_Die()
            guard dwarf_siblingof(&child, &next) == 0 else { return }
            child = next
        }
    }
}
