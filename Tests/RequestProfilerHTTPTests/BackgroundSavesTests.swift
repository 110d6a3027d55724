import DedicatedThreads
import Dispatch
import RequestProfiler
import Synchronization
import Testing
@testable import RequestProfilerHTTP

/// The queue that builds kept automatic profiles after their responses: one job at a time,
/// a bounded number waiting, and waits that end when the work does.
@Suite("Auto-capture: background saves")
struct BackgroundSavesTests {
    final class Log: Sendable {
        private let entries = Mutex<[Int]>([])
        private let running = Mutex((now: 0, most: 0))
        var all: [Int] { entries.withLock { $0 } }
        var mostAtOnce: Int { running.withLock { $0.most } }

        func run(_ value: Int) async {
            running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            try? await Task.sleep(for: .milliseconds(2))
            entries.withLock { $0.append(value) }
            running.withLock { $0.now -= 1 }
        }
    }

    @Test func jobsRunOneAtATimeInOrderAndPastTheBoundAreRefused() async {
        let saves = BackgroundSaves()
        let log = Log()
        saves.hold()
        for value in 0..<BackgroundSaves.maximumQueued {
            #expect(saves.enqueue { await log.run(value) })
        }
        #expect(!saves.enqueue { await log.run(-1) }, "one more than the bound is refused")
        #expect(saves.pendingCount == BackgroundSaves.maximumQueued)
        #expect(!saves.waitUntilIdle(timeoutSeconds: 0.05), "held jobs are pending")
        #expect(log.all.isEmpty)
        saves.release()
        await saves.waitUntilIdle()
        #expect(log.all == Array(0..<BackgroundSaves.maximumQueued))
        #expect(log.mostAtOnce == 1)
        #expect(saves.pendingCount == 0)
        #expect(saves.waitUntilIdle(timeoutSeconds: 0.05))
        // Room again once the queue drained.
        #expect(saves.enqueue { await log.run(99) })
        await saves.waitUntilIdle()
        #expect(log.all.last == 99)
    }

    /// "Wait for ever", set in code as the shutdown's wait for automatic reports, is a day at
    /// most: `Task.sleep` traps on a deadline past its clock's range, which crashed the server
    /// at shutdown. A negative wait is no wait.
    @Test func anEndlessOrNegativeWaitForSavesDoesNotTrap() async {
        let saves = BackgroundSaves()
        let gate = DispatchSemaphore(value: 0)
        #expect(saves.enqueue { gate.wait() })
        #expect(await saves.waitUntilIdle(atMost: .seconds(-5)) == false)
        let waiting = Task { await saves.waitUntilIdle(atMost: .seconds(Int64.max)) }
        try? await Task.sleep(for: .milliseconds(50))  // its timer set, past the clock's range before
        gate.signal()
        #expect(await waiting.value)
    }

    /// A wall clock past what 64 bits of nanoseconds hold (the year 2554) is the largest
    /// time, not a trap; before 1970 it is 0.
    @Test func aTimeBeyondSixtyFourBitsOfNanosecondsIsTheLargest() {
        #expect(RequestProfilingCore.nanoseconds(since1970: 2e10) == .max)
        #expect(RequestProfilingCore.nanoseconds(since1970: -1) == 0)
        #expect(RequestProfilingCore.nanoseconds(since1970: .nan) == 0)
        #expect(RequestProfilingCore.nanoseconds(since1970: 1.5) == 1_500_000_000)
    }

    /// Building a report blocks its thread for milliseconds (hundreds the first time); on the
    /// cooperative pool (a thread per core) that held a request thread of a small server.
    @Test func jobsAndTheProfilesTheyBuildRunOnTheBuildThreadNotThePool() async throws {
        let thread = ReportBuildThread()
        let saves = BackgroundSaves(builder: thread)
        let places = Mutex<[Bool]>([])
        #expect(saves.enqueue {
            places.withLock { $0.append(thread.isCurrent) }
            try? await Task.sleep(for: .milliseconds(1))
            places.withLock { $0.append(thread.isCurrent) }
        })
        await saves.waitUntilIdle()
        #expect(places.withLock { $0 } == [true, true], "the job, also after an await, runs on the build thread")
        #expect(!thread.isCurrent)

        let session = try Profiler().start()
        await session.run {
            let end = ContinuousClock.now + .milliseconds(30)
            while ContinuousClock.now < end {}
        }
        session.endRuns()
        let jobsBefore = thread.jobsRun
        let profile = await session.stop(buildingOn: thread)
        #expect(thread.jobsRun > jobsBefore, "the profile was built on the given executor")
        #expect(!profile.samples.isEmpty)
    }

    /// A `?profile=1` request's profile is built on a build thread too (on the pool, two of them
    /// ending together held both request threads of a two-core server: the symbolizer's lock),
    /// its own: not behind automatic reports, and not stuck with a save on a hung folder.
    @Test func aRequestedProfileIsBuiltOnABuildThreadOfItsOwn() async throws {
        // The background thread busy for good, as with a save stuck on a hung mount.
        let stuck = DispatchSemaphore(value: 0)
        let busy = BackgroundSaves(builder: ReportBuildThread.shared)
        #expect(busy.enqueue { Self.block(on: stuck, seconds: 20) })
        defer { stuck.signal() }
        let jobsBefore = ReportBuildThread.requests.jobsRun
        let recording = try await RequestRecorder().record(
            plan: ProfilingPlan(format: .json, interval: .milliseconds(1), maximumDuration: .seconds(5), delivery: .replaceResponse, printsReport: false), method: "GET", path: "/spin", route: { "/spin" }, status: { _ in 200 },
            handler: {
                let end = ContinuousClock.now + .milliseconds(20)
                while ContinuousClock.now < end {}
                return 1
            })
        #expect(ReportBuildThread.requests.jobsRun > jobsBefore)
        #expect(!recording.profile.samples.isEmpty)
        #expect(recording.profile.metadata.request?.route == "/spin")
    }

    /// Blocks the calling thread (a build thread, here) until `semaphore` is signalled, or for
    /// `seconds` at most.
    private static func block(on semaphore: DispatchSemaphore, seconds: Double) {
        _ = semaphore.wait(timeout: .now() + seconds)
    }

    @Test func waitingWithNothingQueuedReturnsAtOnce() async {
        let saves = BackgroundSaves()
        await saves.waitUntilIdle()
        #expect(saves.waitUntilIdle(timeoutSeconds: 0))
    }
}
