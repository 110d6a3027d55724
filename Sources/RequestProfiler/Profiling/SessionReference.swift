/// What a task-local `ProfilingSession.current` holds: the session, weakly.
///
/// A task-local is copied into every `Task {}` started inside `run`, and lives as long as that
/// task. Held strongly, a handler's background task (a timeout, a cache refresher started on
/// first use) kept its request's session alive for as long as it ran: the built profile, the
/// await records and the sampled thread's executor, which never went back to its pool.
final class SessionReference: Sendable {
    weak let session: ProfilingSession?

    init(_ session: ProfilingSession) {
        self.session = session
    }
}
