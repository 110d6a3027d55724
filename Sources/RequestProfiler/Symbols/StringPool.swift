/// Hands out one shared copy of each distinct string, so that the symbolizer's per-address
/// caches, which repeat the same image paths and source files for thousands of addresses,
/// hold one heap buffer per distinct text rather than one per address.
///
/// It only grows with distinct texts, which are bounded by the line tables of the images
/// mapped, and is emptied at `limit` all the same (strings already handed out stay valid).
struct StringPool {
    let limit: Int
    private var members = Set<String>()

    init(limit: Int = AddressCache<String>.defaultLimit) { self.limit = limit }

    var count: Int { members.count }

    /// `text`, or the equal string already pooled.
    mutating func intern(_ text: String) -> String {
        if members.count >= limit, !members.contains(text) { members.removeAll(keepingCapacity: true) }
        return members.insert(text).memberAfterInsert
    }
}
