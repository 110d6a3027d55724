import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import RequestProfiler

/// `runInNewTask` is how Vapor's route responder re-enters a profiled request's session from a
/// future callback: its work must run on the sampled thread with the caller's task-locals, and
/// must still run (unsampled) once the session has stopped, since a request held on may call
/// it late.
@Suite(.serialized)
struct RunInNewTaskTests {
    @TaskLocal static var requestName: String?

    @Test func theWorkRunsOnTheSampledThreadWithTheCallersTaskLocals() async throws {
        let session = try Profiler().start()
        let sampledThread = await session.run { SessionThreadReleaseTests.currentThreadID() }
        let seen: (thread: pid_t, name: String?, session: ProfilingSession?) = await withCheckedContinuation { done in
            Self.$requestName.withValue("GET /items") {
                session.runInNewTask {
                    _ = busyAlpha(milliseconds: 20)
                    done.resume(returning: (SessionThreadReleaseTests.currentThreadID(), Self.requestName, ProfilingSession.current))
                }
            }
        }
        #expect(seen.thread == sampledThread)
        #expect(seen.name == "GET /items")
        #expect(seen.session === session)
        let profile = await session.stop()
        #expect(profile.samples(through: "busyAlpha").count > 0, "the new task's work was sampled")
    }

    @Test(.timeLimit(.minutes(1))) func workStartedAfterTheSessionStoppedStillCompletes() async throws {
        let session = try Profiler().start()
        _ = await session.stop()
        let value: Int = await withCheckedContinuation { done in
            session.runInNewTask { done.resume(returning: 42) }
        }
        #expect(value == 42)
    }
}
