/// A function the compiler inlined at an address: a release build folds small helpers (and
/// a dependency's generic code) into their callers, so the symbol table names only the
/// caller. DWARF's inlined-subroutine scopes still name the helper and where it was called,
/// so a profile can show `handler -> helper` where the symbol alone showed `handler`.
public struct InlinedFunction: Sendable, Hashable {
    /// Demangled and normalized as a symbol's name is, so an inlined copy and an out-of-line
    /// copy of one function are one frame.
    public var name: String
    /// Where the address lies in this function: the call of the next inlined function, or
    /// for the innermost one the address's own line.
    public var file: String?
    public var line: Int?

    public init(name: String, file: String? = nil, line: Int? = nil) {
        self.name = name
        self.file = file
        self.line = line
    }
}
