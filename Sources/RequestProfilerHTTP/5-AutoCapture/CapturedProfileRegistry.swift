import Synchronization

/// The reports saved by this process, newest last: what profiles.json and the dashboard list,
/// and what the per-route cap of automatic reports counts.
///
/// Bounded: past ``capacity`` entries the oldest is forgotten (its file stays on disk and is
/// still served by name). The registry never touches files; it tells its caller which
/// automatic reports fell over the per-route cap so that the caller deletes them.
public final class CapturedProfileRegistry: Sendable {
    public let capacity: Int
    private let entries = Mutex<[CapturedProfile]>([])

    public init(capacity: Int = 1_000) {
        self.capacity = max(capacity, 1)
    }

    /// Adds `profile`. For an automatic one, returns the automatic reports of the same method
    /// and route beyond the newest `keepPerRoute`, oldest first, now forgotten: delete their files.
    @discardableResult
    public func register(_ profile: CapturedProfile, keepPerRoute: Int = .max) -> [CapturedProfile] {
        entries.withLock { entries in
            entries.append(profile)
            var evicted: [CapturedProfile] = []
            if profile.trigger == .auto {
                let sameRoute = entries.indices.filter {
                    entries[$0].trigger == .auto && entries[$0].method == profile.method && entries[$0].route == profile.route
                }
                let excess = sameRoute.count - max(keepPerRoute, 1)
                if excess > 0 {
                    let doomed = Set(sameRoute.prefix(excess))
                    evicted = sameRoute.prefix(excess).map { entries[$0] }
                    entries = entries.indices.filter { !doomed.contains($0) }.map { entries[$0] }
                }
            }
            if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
            return evicted
        }
    }

    /// Every registered report, oldest first.
    public var all: [CapturedProfile] { entries.withLock { $0 } }

    /// Whether `file` is a registered report's name.
    public func contains(file: String) -> Bool {
        entries.withLock { entries in entries.contains { $0.file == file } }
    }
}
