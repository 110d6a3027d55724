/// pprof's string table: every string is stored once and referenced by index; index 0 is
/// always the empty string.
struct PprofStringTable {
    private(set) var strings: [String] = [""]
    private var indices: [String: Int64] = ["": 0]

    /// The index of `string`, adding it on first use, made terminal-safe
    /// (``TerminalSafeText``): `go tool pprof -top` prints function names, files and the
    /// comments (the request's path or route, the notes) as they are, and a saved report, or
    /// a raw path Hummingbird passes with bytes from 0x80 up, may carry escape sequences or
    /// bidi overrides.
    mutating func index(_ string: String) -> Int64 {
        if let index = indices[string] { return index }
        let index = Int64(strings.count)
        strings.append(TerminalSafeText.make(string))
        indices[string] = index
        return index
    }
}
