/// Profiles a piece of Swift work, sync or async, with an in-thread signal-driven sampler.
///
/// ```swift
/// let profiler = Profiler(configuration: .init(interval: .milliseconds(1)))
/// let (value, profile) = try await profiler.profile { try await work() }
/// ```
///
/// The work runs on a dedicated thread (a one-thread `TaskExecutor` entered with
/// `withTaskExecutorPreference`), so its awaits, `async let`s and task-group children stay on
/// that thread, and only that thread is sampled. Several profiles may run at the same time;
/// each has its own thread, timer and buffers.
public struct Profiler: Sendable {
    public var configuration: Configuration
    private let symbolizer: any Symbolizer

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.symbolizer = DwarfSymbolizer.shared
    }

    /// Starts a session: creates the sampled thread and arms its timer. Run work in it with
    /// `session.run { }` and finish with `session.stop()`.
    public func start() throws -> ProfilingSession {
        try configuration.validate()
        return try ProfilingSession(configuration: configuration, symbolizer: symbolizer)
    }

    /// Runs `work` on a sampled thread and returns its value with its profile. Errors thrown
    /// by `work` are rethrown after sampling has stopped; the profile is then discarded.
    ///
    /// `work` is `sending` and `profile` is `@concurrent`, so the closure never inherits the
    /// caller's actor: called from the main actor (top-level code in `main.swift`, any
    /// `@MainActor` function), its synchronous code still runs on the sampled thread rather
    /// than on the main thread, which is not sampled. The price is the usual one for work
    /// leaving an actor: the closure cannot touch that actor's state synchronously (the
    /// compiler says so), and values it captures must not be used by the caller meanwhile.
    @concurrent
    public func profile<T>(_ work: sending () async throws -> T) async throws -> sending (T, Profile) {
        let session = try start()
        let value: T
        do {
            value = try await session.run {
                defer { session.endRuns() }
                return try await work()
            }
        } catch {
            // Nothing to build: the caller gets the error, not a profile.
            await session.discard()
            throw error
        }
        let profile = await session.stop()
        return (value, profile)
    }
}
