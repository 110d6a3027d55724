/// A per-address memo of the symbolizer with a hard size limit, so that a long-running server
/// cannot grow it without bound.
///
/// A server's profiles keep hitting the same addresses: the return addresses of its hot code,
/// and the instructions its samples interrupt (one entry each, so a busy loop alone adds
/// dozens). The limit caps each cache at ``defaultLimit`` entries whatever the code reached. When full the cache is emptied rather than
/// evicted entry by entry: the next profiles refill it with what is hot now, each address
/// costing one cold lookup again (microseconds), and no bookkeeping is paid on the warm path.
struct AddressCache<Value> {
    static var defaultLimit: Int { 65_536 }

    let limit: Int
    private var storage: [UInt: Value] = [:]
    /// How many times the cache was emptied because it was full.
    private(set) var resets = 0

    init(limit: Int = Self.defaultLimit) {
        precondition(limit > 0)
        self.limit = limit
    }

    subscript(address: UInt) -> Value? { storage[address] }

    var count: Int { storage.count }

    /// Forgets the addresses that lie in `ranges` (images loaded or unloaded since).
    mutating func removeAll(in ranges: [Range<UInt>]) {
        guard !ranges.isEmpty else { return }
        storage = storage.filter { entry in !ranges.contains { $0.contains(entry.key) } }
    }

    mutating func insert(_ value: Value, for address: UInt) {
        if storage.count >= limit, storage[address] == nil {
            storage.removeAll(keepingCapacity: true)
            resets += 1
        }
        storage[address] = value
    }
}
