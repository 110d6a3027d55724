/// pprof's string table: every string is stored once and referenced by index; index 0 is
/// always the empty string.
struct PprofStringTable {
    private(set) var strings: [String] = [""]
    private var indices: [String: Int64] = ["": 0]

    /// The index of `string`, adding it on first use.
    mutating func index(_ string: String) -> Int64 {
        if let index = indices[string] { return index }
        let index = Int64(strings.count)
        strings.append(string)
        indices[string] = index
        return index
    }
}
