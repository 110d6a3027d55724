/// A fixed-capacity ring of the newest errors: the oldest is overwritten, so memory stays
/// bounded however many errors a failing server produces.
struct RecentErrorRing: Sendable {
    let capacity: Int
    private var storage: [RecentError] = []
    private var nextIndex = 0

    /// The most errors kept (their storage is reserved up front): far more than a page shows,
    /// and a capacity of `Int.max` set in code would otherwise trap on the reservation.
    static let largestCapacity = 100_000

    init(capacity: Int) {
        self.capacity = min(max(0, capacity), Self.largestCapacity)
        storage.reserveCapacity(self.capacity)
    }

    mutating func append(_ error: RecentError) {
        guard capacity > 0 else { return }
        if storage.count < capacity {
            storage.append(error)
        } else {
            storage[nextIndex] = error
        }
        nextIndex = (nextIndex + 1) % capacity
    }

    /// Newest first.
    var newestFirst: [RecentError] {
        guard !storage.isEmpty else { return [] }
        var result: [RecentError] = []
        result.reserveCapacity(storage.count)
        var index = nextIndex
        for _ in 0..<storage.count {
            index = (index + storage.count - 1) % storage.count
            result.append(storage[index])
        }
        return result
    }
}
