#if Vapor
import Logging
import RequestProfilerHTTP
import Vapor

extension Application {
    /// Installs request profiling: the middleware first in the chain (outside `ErrorMiddleware`,
    /// so reports see final statuses), and the route wrappers applied at boot.
    ///
    /// ```swift
    /// try app.enableRequestProfiling(ProfilingSettings(environment: Environment.process.environmentDictionary))
    /// ```
    /// Call it in `configure` before the app boots. With `settings.isEnabled == false` and
    /// metrics, dashboard and auto-capture off, the middleware is still installed but does
    /// nothing beyond a flag check. With metrics (or the dashboard, or auto-capture) or Pyroscope
    /// export on, the collector and the Pyroscope queue are drained when the app shuts down.
    @discardableResult
    public func enableRequestProfiling(_ settings: ProfilingSettings, logger: Logger? = nil) -> RequestProfilingMiddleware {
        let middleware = RequestProfilingMiddleware(
            core: RequestProfilingCore(settings: settings, logger: logger ?? self.logger))
        self.middleware.use(middleware, at: .beginning)
        self.lifecycle.use(RouteProfilingInstaller())
        // Pyroscope too: with metrics off, profiles still queued (or waiting to be retried)
        // were lost at shutdown, uncounted.
        if middleware.core.metrics != nil || middleware.core.pyroscope != nil {
            self.lifecycle.use(ProfilerShutdownHandler(core: middleware.core))
        }
        return middleware
    }

    /// ``enableRequestProfiling(_:logger:)`` with the settings read from the process's
    /// `PROFILING_*` environment variables; throws a ``ProfilingSettingsError`` naming a bad one.
    @discardableResult
    public func enableRequestProfilingFromEnvironment(logger: Logger? = nil) throws -> RequestProfilingMiddleware {
        let settings = try ProfilingSettings(environment: ProcessInfo.processInfo.environment)
        return enableRequestProfiling(settings, logger: logger)
    }
}
#endif
