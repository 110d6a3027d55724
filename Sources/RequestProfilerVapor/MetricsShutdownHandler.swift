#if Vapor
import RequestProfilerHTTP
import Vapor

/// Drains the metrics collector when the application shuts down, so that queued events reach
/// their exporters and JSONL files get their final names.
struct MetricsShutdownHandler: LifecycleHandler {
    let core: RequestProfilingCore

    func shutdownAsync(_ application: Application) async {
        await core.shutdown()
    }

    func shutdown(_ application: Application) {
        core.shutdownAndWait()
    }
}
#endif
