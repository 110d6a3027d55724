#if Vapor
import RequestProfilerHTTP
import Vapor

/// Drains the profiler when the application shuts down: automatic reports still being saved,
/// the metrics collector (queued events reach their exporters, JSONL files get their final
/// names) and the Pyroscope queue (profiles still waiting or being retried are sent).
///
/// Vapor calls lifecycle handlers before it stops the HTTP server (the server lives in the
/// application's storage, shut down after them). Drained then, the collector would be closed
/// while requests are still in flight, and their events lost. So the handler first stops the
/// server, which stops accepting and waits for in-flight requests (up to its
/// `shutdownTimeout`); Vapor's own later shutdown of the server then finds nothing to do.
struct ProfilerShutdownHandler: LifecycleHandler {
    let core: RequestProfilingCore

    func shutdownAsync(_ application: Application) async {
        await application.server.shutdown()
        await core.shutdown()
    }

    func shutdown(_ application: Application) {
        application.server.shutdown()
        core.shutdownAndWait()
    }
}
#endif
