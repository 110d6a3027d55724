import Synchronization

/// The reports saved by this process and, when it has an index, by earlier runs in the same
/// reports directory, newest last: what profiles.json and the dashboard list, and what the
/// per-route cap of automatic reports counts.
///
/// Bounded: past ``capacity`` entries the oldest of the route (method and route) with the most
/// entries is forgotten, so that a quiet route keeps its few reports while busy ones take
/// turns (forgetting the oldest of all deleted a quiet route's only report once fifty busy
/// routes had twenty each). A `profile_save=1` report's file stays on disk (someone asked for
/// it; it is still served by name); an automatic one's is deleted, as over the per-route cap,
/// or else a server with many routes would leave an automatic report behind for every one
/// saved once the list is full. The registry never
/// deletes files itself: it returns the automatic reports it forgot, and the caller deletes them.
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
        /// Automatic reports of earlier runs beyond the capacity at start-up, forgotten then:
        /// returned by the next call that returns evicted reports, whose caller deletes them.
        var forgottenAtStart: [CapturedProfile]
        /// An entry could not be written to the index (the disk was full, the file unwritable
        /// for a while): the next registration writes the whole list again. Else that report
        /// stayed on disk unknown to the next run, never counted against the per-route cap and
        /// never deleted.
        var indexMissesEntries = false
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
            state = Mutex(State(entries: [], indexLines: 0, forgottenAtStart: []))
            return
        }
        let loaded = index.load()
        var entries = loaded.profiles
        let forgotten = Self.trim(&entries, to: self.capacity)
        // Lines of reports deleted since, duplicates or torn lines: start from a clean file.
        let rewritten = loaded.lineCount != entries.count && index.rewrite(entries)
        state = Mutex(State(entries: entries, indexLines: rewritten ? entries.count : loaded.lineCount, forgottenAtStart: forgotten))
    }

    /// Adds `profile`, and returns the automatic reports now forgotten, oldest first: delete
    /// their files. For an automatic `profile`, those of its method and route beyond the newest
    /// `keepPerRoute`; for any, those that fell off the full list.
    ///
    /// With an index, the entry is written to it here, under the lock (a few microseconds,
    /// once per saved report, which took milliseconds to render): the file's lines then keep
    /// the registry's order.
    @discardableResult
    public func register(_ profile: CapturedProfile, keepPerRoute: Int = .max) -> [CapturedProfile] {
        state.withLock { state in
            state.entries.append(profile)
            var evicted = state.forgottenAtStart
            state.forgottenAtStart = []
            if profile.trigger == .auto { evicted += Self.evictAutomatic(keepingPerRoute: keepPerRoute, from: &state.entries) }
            evicted += Self.trim(&state.entries, to: capacity)
            if let index {
                let rewrite = state.indexMissesEntries || state.indexLines - state.entries.count + 1 > capacity
                if rewrite, index.rewrite(state.entries) {
                    state.indexLines = state.entries.count
                    state.indexMissesEntries = false
                } else if index.append(profile) {
                    state.indexLines += 1
                } else {
                    state.indexMissesEntries = true
                }
            }
            return evicted
        }
    }

    /// Applies the per-route cap to every route at once: the automatic reports beyond the
    /// newest `keepPerRoute` of each route, oldest first, now forgotten. For a server that
    /// starts with the reports of earlier runs (perhaps under a larger cap): delete their files.
    /// Those forgotten at start-up because the list was full come first.
    public func evictAutomatic(keepingPerRoute keepPerRoute: Int) -> [CapturedProfile] {
        state.withLock { state in
            let forgotten = state.forgottenAtStart
            state.forgottenAtStart = []
            return forgotten + Self.evictAutomatic(keepingPerRoute: keepPerRoute, from: &state.entries)
        }
    }

    /// Every registered report, oldest first.
    public var all: [CapturedProfile] { state.withLock { $0.entries } }

    /// Whether `file` is a registered report's name.
    public func contains(file: String) -> Bool {
        state.withLock { state in state.entries.contains { $0.file == file } }
    }

    /// Removes entries beyond `capacity`, each the oldest of the route with the most entries
    /// then (of equal routes, the one whose oldest is oldest), and returns the automatic ones
    /// among them, oldest first.
    private static func trim(_ entries: inout [CapturedProfile], to capacity: Int) -> [CapturedProfile] {
        guard entries.count > capacity else { return [] }
        // Each route's entries, oldest first, and how many of them are forgotten so far.
        var routes: [RouteOfProfile: (indices: [Int], forgotten: Int)] = [:]
        for index in entries.indices {
            routes[RouteOfProfile(entries[index]), default: ([], 0)].indices.append(index)
        }
        var doomed = Set<Int>()
        for _ in 0..<(entries.count - capacity) {
            var victim: (route: RouteOfProfile, left: Int, oldest: Int)?
            for (route, list) in routes where list.forgotten < list.indices.count {
                let left = list.indices.count - list.forgotten, oldest = list.indices[list.forgotten]
                if let chosen = victim, chosen.left > left || (chosen.left == left && chosen.oldest < oldest) { continue }
                victim = (route, left, oldest)
            }
            guard let victim else { break }
            doomed.insert(victim.oldest)
            routes[victim.route]!.forgotten += 1
        }
        let removed = entries.indices.filter { doomed.contains($0) }.map { entries[$0] }
        entries = entries.indices.filter { !doomed.contains($0) }.map { entries[$0] }
        return removed.filter { $0.trigger == .auto }
    }

    private struct RouteOfProfile: Hashable {
        var method: String
        var route: String

        init(_ profile: CapturedProfile) {
            method = profile.method
            route = profile.route
        }
    }

    /// Removes from `entries` the automatic ones beyond the newest `keep` of their method and
    /// route, and returns them, oldest first: one pass from the newest, counting per route.
    private static func evictAutomatic(keepingPerRoute keep: Int, from entries: inout [CapturedProfile]) -> [CapturedProfile] {
        var kept: [RouteOfProfile: Int] = [:]
        var doomed = Set<Int>()
        for index in entries.indices.reversed() where entries[index].trigger == .auto {
            let route = RouteOfProfile(entries[index])
            kept[route, default: 0] += 1
            if kept[route]! > max(keep, 1) { doomed.insert(index) }
        }
        guard !doomed.isEmpty else { return [] }
        let evicted = entries.indices.filter { doomed.contains($0) }.map { entries[$0] }
        entries = entries.indices.filter { !doomed.contains($0) }.map { entries[$0] }
        return evicted
    }
}
