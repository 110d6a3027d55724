import Dispatch
import Logging
import RequestMetrics
import RequestProfiler
import RequestProfilerPyroscope

/// The framework-neutral middleware: dashboard -> metrics -> trigger (query or automatic) ->
/// session -> sink, behind one call, so that the Vapor and Hummingbird adapters only
/// translate their request and response types.
///
/// Adapters call ``needsCore(rawQuery:)`` first (the fast path: with metrics, dashboard and
/// auto-capture off, a flag check and a query lookup) and hand the request to
/// ``handle(rawQuery:header:method:path:route:status:requestBytes:responseBytes:thrownError:next:)``
/// only when it returns true.
///
/// A class: the adapters hand it to every request, and a struct of this many references
/// would cost a retain and a release of each per copy.
public final class RequestProfilingCore: Sendable {
    public let settings: ProfilingSettings
    public let trigger: ProfilingTrigger
    public let recorder: RequestRecorder
    public let sink: ReportSink
    /// Measures every request (except exclusions and the dashboard's own) when metrics, the
    /// dashboard or auto-capture is on; nil otherwise.
    public let metrics: MetricsPipeline?
    /// The saved reports (`profile_save=1` and automatic ones): this process's and, with the
    /// dashboard or auto-capture on, the earlier runs' still in the reports directory.
    public let profiles: CapturedProfileRegistry
    /// Set when `PROFILING_AUTO_RATE` is above 0.
    public let autoCapture: AutoCapture?
    /// Set when `PROFILING_DASHBOARD` is.
    public let dashboard: Dashboard?
    /// Whether every request goes through ``handle``, not only `?profile=1` ones.
    public let handlesEveryRequest: Bool
    /// Sends every captured profile (on demand, and automatic ones that were kept) to
    /// Pyroscope; set when `settings.pyroscope` is.
    public let pyroscope: PyroscopeExporter?
    /// Returns the memory that building reports freed, once profiling goes quiet.
    let heapTrimmer: HeapTrimmer
    /// Deletes automatic reports that a `profile_save=1` report pushed off the full registry.
    let reportRemover: AutomaticReportRemover

    /// - Parameter pyroscope: the exporter captured profiles go to; by default one is made
    ///   from `settings.pyroscope` (nil there: no export). Tests pass one with their own transport.
    public init(
        settings: ProfilingSettings, logger: Logger = Logger(label: "request-profiler"),
        pyroscope: PyroscopeExporter? = nil
    ) {
        let (settings, changes) = settings.withCodeValuesInRange()
        for change in changes { logger.warning("request profiler: \(change)") }
        for unrecognized in settings.unrecognizedSettings { logger.warning("request profiler: \(unrecognized)") }
        self.settings = settings
        self.trigger = ProfilingTrigger(settings: settings)
        self.recorder = RequestRecorder()
        self.heapTrimmer = HeapTrimmer(limiter: trigger.limiter)
        self.sink = ReportSink(logger: logger, keepingFree: settings.reportsKeepFree)
        let reportsDirectory = settings.outputDirectory ?? ProfilingSettings.defaultSaveDirectory
        self.reportRemover = AutomaticReportRemover(directory: reportsDirectory, logger: logger)
        if settings.isEnabled || settings.autoCapture.isEnabled {
            ReportWriter(directory: reportsDirectory).removeLeftoverTemporaryFiles()
        }
        // The dashboard and auto-capture read the registry; with either on it is kept on disk,
        // so that a restart still lists (and caps) the reports of earlier runs.
        let remembers = settings.dashboard.isEnabled || settings.autoCapture.isEnabled
        self.profiles = CapturedProfileRegistry(
            index: remembers ? SavedProfileIndex(directory: reportsDirectory, logger: logger) : nil)
        let measures = settings.metrics.isEnabled || settings.dashboard.isEnabled || settings.autoCapture.isEnabled
        let metrics = measures ? MetricsPipeline.make(for: settings, logger: logger) : nil
        self.metrics = metrics
        self.autoCapture = settings.autoCapture.isEnabled
            ? AutoCapture(
                settings: settings.autoCapture, directory: reportsDirectory, random: settings.random.source,
                limiter: trigger.limiter, registry: profiles, logger: logger,
                samplingInterval: settings.interval, maximumDuration: settings.maximumDuration,
                diskReserve: settings.reportsKeepFree, pausesAfterFailedSave: pyroscope == nil && settings.pyroscope == nil)
            : nil
        // A prefix set in code is checked as the environment's is; a bad one turns the dashboard
        // off (logged) rather than serving it where no request can reach it.
        let prefix = settings.dashboard.prefix.flatMap { text -> String? in
            do {
                return try SettingParser.pathPrefix(text, name: ProfilingSettings.EnvironmentKey.dashboard)
            } catch {
                logger.error("request profiler: the dashboard is off: \(error)")
                return nil
            }
        }
        if let prefix, let metrics {
            self.dashboard = Dashboard(
                prefix: prefix, token: settings.dashboard.token, stats: metrics.stats,
                collector: settings.metrics.isEnabled ? metrics.collector : nil, registry: profiles,
                reportsDirectory: reportsDirectory, logger: logger)
        } else {
            self.dashboard = nil
        }
        self.handlesEveryRequest = measures
        let tokens = [
            (ProfilingSettings.EnvironmentKey.token, settings.token),
            (ProfilingSettings.EnvironmentKey.dashboardToken, settings.dashboard.token),
        ]
        for (variable, token) in tokens {
            if let token, token.trimmingWhitespace().isEmpty {
                logger.error("request profiler: the \(variable) setting made in code is blank: no request can pass its guard")
            }
        }
        // Said once at start, so an operator who enabled either on a reachable server knows
        // who may use it.
        if settings.isEnabled && settings.token == nil {
            logger.warning(
                "request profiler: profiling is enabled without \(ProfilingSettings.EnvironmentKey.token): any client that reaches the server can profile its requests (and, with profile_save=1, write reports into \(reportsDirectory)); set a token where untrusted clients can reach it")
        }
        if let dashboard, settings.dashboard.token == nil {
            logger.warning(
                "request profiler: the dashboard at \(dashboard.prefix) has no \(ProfilingSettings.EnvironmentKey.dashboardToken): anyone who reaches it can read the request metrics, errors and saved reports")
        }
        self.pyroscope = pyroscope ?? settings.pyroscope.map { PyroscopeExporter(settings: $0, logger: logger) }
    }

    /// True only when profiling is enabled and the query turns `profile` on; the query is
    /// read only when profiling is enabled.
    @inline(__always)
    public func isProfilingRequest(rawQuery: @autoclosure () -> String?) -> Bool {
        trigger.isProfilingRequest(rawQuery: rawQuery())
    }

    /// The adapters' fast path: does this request need ``handle`` at all? True for every
    /// request when metrics, the dashboard or auto-capture is on, else only for `?profile=1`.
    /// The query is read only when the answer depends on it.
    @inline(__always)
    public func needsCore(rawQuery: @autoclosure () -> String?) -> Bool {
        handlesEveryRequest || trigger.isProfilingRequest(rawQuery: rawQuery())
    }

    /// Waits for the automatic reports still being saved (their requests' events come then;
    /// `savesWaitingAtMost`, 10 s, so that a save stuck on a hung reports folder cannot hold
    /// the shutdown for good), then drains the metrics collector and the Pyroscope queue
    /// (graceful shutdown; Pyroscope for 10 s at most, so a server that does not answer cannot
    /// hold it); the adapters call it from their framework's lifecycle.
    public func shutdown(savesWaitingAtMost timeout: Duration = .seconds(10)) async {
        // Kept automatic profiles still being saved record their requests when done.
        if let autoCapture, !(await autoCapture.saves.waitUntilIdle(atMost: timeout)) {
            sink.logger.warning("request profiler: automatic reports were still being saved after \(timeout) of shutdown; their requests' events are lost")
        }
        await metrics?.shutdown()
        await pyroscope?.shutdown()
    }

    /// ``shutdown()`` for a caller that cannot await (Vapor's synchronous `app.shutdown()`).
    /// The automatic reports being saved are waited for at most 10 s; the Pyroscope queue is
    /// drained on a task of its own, which stops waiting for the server after 10 s.
    public func shutdownAndWait() {
        if let autoCapture, !autoCapture.saves.waitUntilIdle(timeoutSeconds: 10) {
            sink.logger.warning("request profiler: automatic reports were still being saved after 10 s of shutdown; their requests' events are lost")
        }
        metrics?.collector.shutdownAndWait()
        guard let pyroscope else { return }
        let drained = DispatchSemaphore(value: 0)
        Task.detached {
            await pyroscope.shutdown()
            drained.signal()
        }
        _ = drained.wait(timeout: .now() + 11)
    }

    /// Answers a dashboard request, or measures the request and runs `next` profiled,
    /// unprofiled, or not at all.
    ///
    /// Inlinable so that the common case, a measured request that is not profiled, is
    /// specialized for the adapter's response type: unspecialized generic code looks up the
    /// type metadata of `Result<Response, Error>` and friends at run time on every request,
    /// which costs more than the measuring itself.
    /// - Parameters:
    ///   - rawQuery: the query string, read only when needed (profiling enabled, or a dashboard
    ///     URL), at most once on the common path.
    ///   - path: the request's path, read only when needed: a route that may lie under the
    ///     dashboard's prefix, exclusions or rate overrides, a profiled request. Vapor builds it
    ///     through Foundation on every read (about 1 µs), more than the rest of the measuring.
    ///   - header: looks up a request header by name: its first field, but for `Cookie` all of
    ///     its fields joined with `; ` (HTTP/2 sends one field per cookie; the dashboard's
    ///     sign-in cookie may be any of them). Hummingbird's `HTTPFields` joins them itself.
    ///   - method: as the client sent it; a method HTTP/1 does not know is counted as `OTHER`
    ///     (see ``HTTPMethodName``).
    ///   - route: the route template; nil when no route matched. Read before the handler (both
    ///     frameworks match the route first) and again after it; adapters keep it cheap.
    ///   - routeSource: for a router that matches inside the chain (Hummingbird's
    ///     `RouterBuilder`), where errors recorded in the handler look the route up.
    ///   - status: the response status for the handler's result (its response or its error).
    ///   - requestBytes: the request body's size (Content-Length or the body read), after the handler.
    ///   - responseBytes: the response body's size, when known.
    ///   - thrownError: the error behind a 5xx response, for frameworks whose error middleware
    ///     turns it into a response inside this one (Vapor), so REQ_META names it; asked only
    ///     for a 5xx. (An error that carries a 4xx status is an answer, not a failure.)
    ///   - next: the rest of the chain; run at most once.
    @inlinable
    public func handle<Response>(
        rawQuery: @autoclosure () -> String?,
        header: (String) -> String?,
        method: String,
        path: @autoclosure () -> String,
        route: () -> String?,
        routeSource: (any MatchedRouteSource)? = nil,
        status: (Result<Response, any Error>) -> Int,
        requestBytes: () -> Int? = { nil },
        responseBytes: (Response) -> Int? = { _ in nil },
        thrownError: () -> (any Error)? = { nil },
        next: () async throws -> Response
    ) async throws -> ProfilingOutcome<Response> {
        let method = HTTPMethodName.bounded(method)
        let start = start(rawQuery: rawQuery, header: header, method: method, path: path, route: route)
        switch start {
        case .dashboard(let answer):
            return .replaced(await answer.response())
        case .unprofiled(nil, let headers):
            return .original(await Self.catching(next), headers: headers)
        case .unprofiled(let measurement?, let headers):
            // Both frameworks know the route template before the handler runs.
            let result = await RequestTrace.$current.withValue(measurement.traceContext(route: route(), routeSource: routeSource)) {
                await Self.catching(next)
            }
            finishMeasured(
                measurement, result: result, route: route, status: status, requestBytes: requestBytes,
                responseBytes: responseBytes, thrownError: thrownError)
            return .original(result, headers: headers)
        case .profiled(let measurement, let profiled):
            return await handleProfiled(
                profiled, measurement: measurement, method: method, path: path(), route: route, routeSource: routeSource, status: status,
                requestBytes: requestBytes, responseBytes: responseBytes, thrownError: thrownError, next: next)
        }
    }

    /// For an adapter whose chain is future-based (Vapor): the start of a request settled
    /// without ``handle(rawQuery:header:method:path:route:status:requestBytes:responseBytes:thrownError:next:)``
    /// and so without the task it needs, which costs Vapor several times the measuring. Nil
    /// when the request needs `handle`: a URL that may be the dashboard's, or a `?profile=1`
    /// (with profiling enabled).
    ///
    /// Call ``needsCore(rawQuery:)`` first. A `.measured` start is finished with
    /// ``finishMeasured(_:result:route:status:requestBytes:responseBytes:thrownError:)``; an
    /// `.automatic` one (auto-capture drew it and a slot was free) is run with
    /// ``handle(automatic:path:route:status:requestBytes:responseBytes:thrownError:next:)``,
    /// so only the drawn share of requests pays for a task.
    @inlinable
    public func startInFutureChain(
        rawQuery: @autoclosure () -> String?, header: (String) -> String?, method: String, path: @autoclosure () -> String,
        route: () -> String?
    ) -> FutureChainStart? {
        guard !trigger.isProfilingRequest(rawQuery: rawQuery()) else { return nil }
        if let dashboard, dashboard.mayOwn(route: route()) { return nil }
        guard let measurement = metrics?.begin(method: HTTPMethodName.bounded(method), path: path(), traceparent: header("traceparent"))
        else { return .unmeasured }
        // The same draw as `start`'s for a request without `?profile=1`: an excluded path (no
        // measurement) is not profiled automatically.
        if let autoCapture, autoCapture.begin() {
            return .automatic(AutomaticProfileStart(measurement: measurement, autoCapture: autoCapture))
        }
        return .measured(measurement)
    }

    /// Profiles a request that ``startInFutureChain(rawQuery:header:method:path:route:)`` picked
    /// for auto-capture, as ``handle(rawQuery:header:method:path:route:status:requestBytes:responseBytes:thrownError:next:)``
    /// would have (see there for the parameters), and frees its slot. A start already run
    /// runs `next` as it is, neither profiled nor measured again.
    public func handle<Response>(
        automatic start: AutomaticProfileStart,
        path: @autoclosure () -> String,
        route: () -> String?,
        status: (Result<Response, any Error>) -> Int,
        requestBytes: () -> Int? = { nil },
        responseBytes: (Response) -> Int? = { _ in nil },
        thrownError: () -> (any Error)? = { nil },
        next: () async throws -> Response
    ) async -> ProfilingOutcome<Response> {
        guard start.take() else { return .original(await Self.catching(next), headers: []) }
        return await handleProfiled(
            .automatic(start.autoCapture), measurement: start.measurement, method: start.measurement.method,
            path: path(), route: route, status: status, requestBytes: requestBytes, responseBytes: responseBytes,
            thrownError: thrownError, next: next)
    }

    /// Records a measured request that was not profiled, once its handler's `result` is known:
    /// its status, bytes and the error behind a 5xx (see ``handle(rawQuery:header:method:path:route:status:requestBytes:responseBytes:thrownError:next:)``
    /// for the parameters).
    @inlinable
    public func finishMeasured<Response>(
        _ measurement: RequestMeasurement, result: Result<Response, any Error>, route: () -> String?,
        status: (Result<Response, any Error>) -> Int, requestBytes: () -> Int?, responseBytes: (Response) -> Int?,
        thrownError: () -> (any Error)?
    ) {
        let bytesOut: Int?
        let failure: (any Error)?
        let finalStatus = status(result)
        switch result {
        case .success(let response):
            (bytesOut, failure) = (Self.sentBytes(measurement.method, responseBytes(response)), finalStatus >= 500 ? thrownError() : nil)
        // An error that carries a 4xx status (Hummingbird's `HTTPError(.notFound)`) is an answer.
        case .failure(let error): (bytesOut, failure) = (nil, finalStatus >= 500 ? error : nil)
        }
        measurement.pipeline.finish(
            measurement, route: route(), status: finalStatus, error: failure, bytesIn: requestBytes(),
            bytesOut: bytesOut, profile: nil)
    }

    /// The body bytes sent for a response of `size`: none for HEAD, whose handler (the GET's,
    /// in both frameworks) makes a body that is only dropped when the response is written.
    @usableFromInline
    static func sentBytes(_ method: String, _ size: Int?) -> Int? {
        method == "HEAD" ? 0 : size
    }

    /// Everything ``handle(rawQuery:header:method:path:route:status:requestBytes:responseBytes:thrownError:next:)``
    /// decides before the handler: the dashboard, the measurement, the trigger, auto-capture.
    ///
    /// The path is read only for a route that may lie under the dashboard's prefix (see
    /// ``Dashboard/mayOwn(route:)``) and when the metrics policy needs it; the query only when
    /// profiling is enabled or for a dashboard URL.
    @usableFromInline
    func start(
        rawQuery: () -> String?, header: (String) -> String?, method: String, path: () -> String, route: () -> String?
    ) -> RequestStart {
        var knownPath: String?
        if let dashboard, dashboard.mayOwn(route: route()) {
            let path = path()
            if dashboard.owns(path: path) {
                return .dashboard(dashboard.answer(path: path, rawQuery: rawQuery(), method: method, header: header))
            }
            knownPath = path
        }
        let measurement = metrics?.begin(method: method, path: knownPath ?? path(), traceparent: header("traceparent"))
        switch trigger.decide(rawQuery: rawQuery(), header: header) {
        case .passThrough:
            // An excluded path (no measurement) is not profiled automatically either: it has no
            // statistics for the p95 rule and no REQ event to name a report.
            if let autoCapture, measurement != nil, autoCapture.begin() { return .profiled(measurement, .automatic(autoCapture)) }
            return .unprofiled(measurement, headers: [])
        case .serveUnprofiled(let headers):
            return .unprofiled(measurement, headers: headers)
        case .reject(let rejection):
            return .profiled(measurement, .rejected(rejection))
        case .profile(let plan):
            return .profiled(measurement, .query(plan))
        }
    }
}
