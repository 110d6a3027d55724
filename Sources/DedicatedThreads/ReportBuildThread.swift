import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A `TaskExecutor` with one thread of its own, on which profiles are built: the profile of a
/// `?profile=1` request (`RequestRecorder`; its report rendered and saved there too),
/// automatic reports, built and saved by `BackgroundSaves`, and the pprof a
/// `PyroscopeExporter` sends. Its own target, below the metrics, the HTTP core and the
/// Pyroscope exporter, so that each of them keeps blocking work off the pool the same way.
///
/// Building a report is blocking work: 7 to 40 ms, the first of a process 200 to 330 ms
/// (symbol tables are read). On the cooperative pool, which has one thread per core, that much
/// blocking held one of a two-core server's two request threads for as long. Here it
/// takes a thread of its own, which the kernel schedules beside the pool's like any other:
/// the CPU is still spent, but no request waits for a pool thread meanwhile.
///
/// Three process-wide threads, each started by its first job and kept (parked on a semaphore)
/// for the life of the process: ``shared`` for the background work (automatic reports, built
/// and saved one at a time as `BackgroundSaves` asks, and the heap trimmer), ``requests``
/// for the profiles `?profile=1` requests wait for, ``exports`` for the profiles rendered as
/// pprof for Pyroscope. A requested profile must not queue behind an automatic report's build
/// and save, nor hang with a save stuck on a hung reports folder; nor must an export, whose
/// bounded queue would fill and drop profiles meanwhile. (A `profile_save=1` report stuck on
/// a hung folder holds later requested profiles, and only them: on the pool it held a request
/// thread.) Builds on two at once wait for each other only on the symbolizer's lock.
package final class ReportBuildThread: TaskExecutor {
    package static let shared = ReportBuildThread()
    package static let requests = ReportBuildThread(name: "report-request")
    package static let exports = ReportBuildThread(name: "report-export")

    /// The thread's name in top, perf and gdb (at most 15 bytes).
    private let name: String

    package init(name: String = "report-build") {
        self.name = name
    }

    private struct State {
        var jobs: [UnownedJob] = []
        var started = false
        var thread: pthread_t?
        var jobsRun = 0
    }

    private let state = Mutex(State())
    private let jobAvailable = DispatchSemaphore(value: 0)

    package func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let starts = state.withLock { state in
            state.jobs.append(unowned)
            defer { state.started = true }
            return !state.started
        }
        if starts { startThread() }
        jobAvailable.signal()
    }

    /// Whether the calling code runs on this executor's thread.
    package var isCurrent: Bool {
        guard let thread = state.withLock({ $0.thread }) else { return false }
        return pthread_equal(thread, pthread_self()) != 0
    }

    /// Jobs run so far (tests: to see that work went through this executor).
    package var jobsRun: Int { state.withLock { $0.jobsRun } }

    private func startThread() {
        let box = Unmanaged.passRetained(self)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let created = pthread_create(&thread, &attributes, { argument in
            let executor = Unmanaged<ReportBuildThread>.fromOpaque(argument!).takeRetainedValue()
            ThreadName.setCurrent(executor.name)
            executor.runJobs()
            return nil
        }, box.toOpaque())
        guard created == 0 else {
            // No thread (the process is at its thread limit): run the jobs on the global
            // executor instead, as before this thread existed, rather than strand them.
            box.release()
            let stranded = state.withLock { state in
                defer { state.jobs = []; state.started = false }
                return state.jobs
            }
            for job in stranded { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
            return
        }
    }

    private func runJobs() {
        state.withLock { $0.thread = pthread_self() }
        while true {
            jobAvailable.wait()
            guard let job = state.withLock({ state -> UnownedJob? in
                guard !state.jobs.isEmpty else { return nil }
                state.jobsRun += 1
                return state.jobs.removeFirst()
            }) else { continue }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
