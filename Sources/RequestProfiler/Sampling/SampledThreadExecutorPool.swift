/// The spare ``SampledThreadExecutor``s, and the only place one is made.
///
/// An executor is never freed (see ``SampledThreadExecutor``): a session takes a spare one, or
/// a new one when none is spare, and it comes back here once its session has ended and its
/// thread has let go. So there are never more executors than sessions were ever alive at the
/// same time (as many as profiles run at once, plus those waiting to be built), each a few
/// hundred bytes.
enum SampledThreadExecutorPool {
    private static let lock = Mutex()
    nonisolated(unsafe) private static var spare: [SampledThreadExecutor] = []
    nonisolated(unsafe) private static var made = 0

    /// A spare executor serving a new session on a pooled thread.
    static func take(
        onIdle: @escaping @Sendable (Bool) -> Void, onEnqueue: @escaping @Sendable (UnownedJob) -> Void
    ) throws -> SampledThreadExecutor {
        let executor = lock.withLock { () -> SampledThreadExecutor in
            if let executor = spare.popLast() { return executor }
            made += 1
            return SampledThreadExecutor()
        }
        do {
            try executor.begin(onIdle: onIdle, onEnqueue: onEnqueue)
        } catch {
            giveBack(executor)
            throw error
        }
        return executor
    }

    /// Called by an executor whose session has ended and whose thread has let go.
    static func giveBack(_ executor: SampledThreadExecutor) {
        lock.withLock { spare.append(executor) }
    }

    /// How many executors were ever made (tests read it).
    static var madeCount: Int {
        lock.withLock { made }
    }
}
