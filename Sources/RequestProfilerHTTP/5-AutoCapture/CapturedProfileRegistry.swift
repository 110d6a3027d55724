import Synchronization

/// The reports saved by this process and, when it has an index, by earlier runs in the same
/// reports directory, newest last: what profiles.json and the dashboard list, and what the
/// per-route cap of automatic reports counts.
///
/// Bounded: past ``capacity`` entries the oldest is forgotten (its file stays on disk and is
/// still served by name). The registry never deletes files; it tells its caller which
/// automatic reports fell over the per-route cap so that the caller deletes them.
public final class CapturedProfileRegistry: Sendable {
    public let capacity: Int
    private let state: Mutex<State>
    /// Where the entries outlive the process; nil keeps them in memory only.
    private let index: SavedProfileIndex?

    private struct State {
        var entries: [CapturedProfile]
        /// Lines in the index file, stale ones included: once `capacity` of them are stale the
        /// file is rewritten, so it stays under twice the capacity however long the server runs.
        var indexLines: Int
    }

    /// A registry in memory only: a restart forgets it.
    public convenience init(capacity: Int = 1_000) {
        self.init(capacity: capacity, index: nil)
    }

    /// Loads the reports `index` lists whose files still exist (the newest `capacity`), and
    /// records every report registered from now on in it.
    init(capacity: Int = 1_000, index: SavedProfileIndex?) {
        self.capacity = max(capacity, 1)
        self.index = index
        guard let index else {
            state = Mutex(State(entries: [], indexLines: 0))
            return
        }
        let loaded = index.load()
        let entries = Array(loaded.profiles.suffix(self.capacity))
        // Lines of reports deleted since, duplicates or torn lines: start from a clean file.
        let rewritten = loaded.lineCount != entries.count && index.rewrite(entries)
        state = Mutex(State(entries: entries, indexLines: rewritten ? entries.count : loaded.lineCount))
    }

    /// Adds `profile`. For an automatic one, returns the automatic reports of the same method
    /// and route beyond the newest `keepPerRoute`, oldest first, now forgotten: delete their files.
    ///
    /// With an index, the entry is written to it here, under the lock (a few microseconds,
    /// once per saved report, which took milliseconds to render): the file's lines then keep
    /// the registry's order.
    @discardableResult
    public func register(_ profile: CapturedProfile, keepPerRoute: Int = .max) -> [CapturedProfile] {
        state.withLock { state in
            state.entries.append(profile)
            let evicted = profile.trigger == .auto ? Self.evictAutomatic(keepingPerRoute: keepPerRoute, from: &state.entries) : []
            if state.entries.count > capacity { state.entries.removeFirst(state.entries.count - capacity) }
            if let index {
                if state.indexLines - state.entries.count + 1 > capacity, index.rewrite(state.entries) {
                    state.indexLines = state.entries.count
                } else if index.append(profile) {
                    state.indexLines += 1
                }
            }
            return evicted
        }
    }

    /// Applies the per-route cap to every route at once: the automatic reports beyond the
    /// newest `keepPerRoute` of each route, oldest first, now forgotten. For a server that
    /// starts with the reports of earlier runs (perhaps under a larger cap): delete their files.
    public func evictAutomatic(keepingPerRoute keepPerRoute: Int) -> [CapturedProfile] {
        state.withLock { state in Self.evictAutomatic(keepingPerRoute: keepPerRoute, from: &state.entries) }
    }

    /// Every registered report, oldest first.
    public var all: [CapturedProfile] { state.withLock { $0.entries } }

    /// Whether `file` is a registered report's name.
    public func contains(file: String) -> Bool {
        state.withLock { state in state.entries.contains { $0.file == file } }
    }

    private struct RouteOfProfile: Hashable {
        var method: String
        var route: String
    }

    /// Removes from `entries` the automatic ones beyond the newest `keep` of their method and
    /// route, and returns them, oldest first: one pass from the newest, counting per route.
    private static func evictAutomatic(keepingPerRoute keep: Int, from entries: inout [CapturedProfile]) -> [CapturedProfile] {
        var kept: [RouteOfProfile: Int] = [:]
        var doomed = Set<Int>()
        for index in entries.indices.reversed() where entries[index].trigger == .auto {
            let route = RouteOfProfile(method: entries[index].method, route: entries[index].route)
            kept[route, default: 0] += 1
            if kept[route]! > max(keep, 1) { doomed.insert(index) }
        }
        guard !doomed.isEmpty else { return [] }
        let evicted = entries.indices.filter { doomed.contains($0) }.map { entries[$0] }
        entries = entries.indices.filter { !doomed.contains($0) }.map { entries[$0] }
        return evicted
    }
}
