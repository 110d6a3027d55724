import DedicatedThreads
import RequestMetrics
import RequestProfiler

extension RequestProfilingCore {
    /// The profiled (or refused) side of ``handle(rawQuery:header:method:path:route:status:requestBytes:responseBytes:thrownError:next:)``:
    /// trigger -> session -> sink, then the metrics record the request with the handler's
    /// status and the saved report's name. Not inlined: it runs for few requests, and building
    /// a profile dwarfs the generic code's cost.
    @usableFromInline
    func handleProfiled<Response>(
        _ start: ProfiledStart,
        measurement: RequestMeasurement?,
        method: String,
        path: String,
        route: () -> String?,
        routeSource: (any MatchedRouteSource)? = nil,
        status: (Result<Response, any Error>) -> Int,
        requestBytes: () -> Int?,
        responseBytes: (Response) -> Int?,
        thrownError: () -> (any Error)?,
        next: () async throws -> Response
    ) async -> ProfilingOutcome<Response> {
        let trace = measurement?.traceContext(route: route(), routeSource: routeSource)
        let handled: HandledRequest<Response>
        // When the handler of a `?profile=1` request returned: its duration ends there, not
        // after its report was built, rendered and saved (tens to hundreds of ms, which went
        // into the route's p95 and made the slow-request rule keep nothing on a quiet route).
        var handlerEnd: UInt64?
        switch start {
        case .rejected(let rejection):
            handled = HandledRequest(outcome: .replaced(ProfilingResponse(rejection)))
        case .query(let plan):
            defer { trigger.finished() }
            handled = await profile(
                plan, method: method, path: path, route: route, status: status,
                requestTimestampNanoseconds: measurement?.timestampNanoseconds,
                next: {
                    defer { handlerEnd = measurement?.pipeline.monotonicNanoseconds }
                    return try await Self.traced(trace, next)
                })
        case .automatic(let autoCapture):
            defer { autoCapture.finished() }
            handled = await autoProfile(
                autoCapture, method: method, path: path, route: route, status: status,
                requestTimestampNanoseconds: measurement?.timestampNanoseconds, next: { try await Self.traced(trace, next) })
        }
        guard let measurement else {
            if let kept = handled.keptAutoProfile, let autoCapture { saveInBackground(kept, by: autoCapture) { _ in } }
            return handled.outcome
        }
        let finalStatus: Int
        let failure: (any Error)?
        let bytesOut: Int?
        switch handled.outcome {
        case .original(let result, _):
            finalStatus = status(result)
            // An error that carries a 4xx status is an answer, not a failure.
            if case .failure(let error) = result, finalStatus >= 500 { failure = error } else { failure = nil }
            bytesOut = Self.sentBytes(method, (try? result.get()).flatMap(responseBytes))
        case .replaced(let replacement):
            finalStatus = handled.handlerStatus ?? replacement.status
            failure = finalStatus >= 500 ? handled.handlerError : nil
            bytesOut = Self.sentBytes(method, replacement.body.count)
        }
        let error = failure ?? (finalStatus >= 500 ? thrownError() : nil)
        if let kept = handled.keptAutoProfile, let autoCapture {
            // In the stats now; its events once the report is saved, so that its REQ event
            // names the file, timed as it is now.
            let (end, routeName, bytesIn) = (measurement.pipeline.monotonicNanoseconds, route(), requestBytes())
            measurement.pipeline.recordInStats(
                measurement, route: routeName, status: finalStatus, error: error, endMonotonicNanoseconds: end)
            saveInBackground(kept, by: autoCapture) { saved in
                measurement.pipeline.finish(
                    measurement, route: routeName, status: finalStatus, error: error, bytesIn: bytesIn,
                    bytesOut: bytesOut, profile: saved, endMonotonicNanoseconds: end, recordedInStats: true)
            }
            return handled.outcome
        }
        measurement.pipeline.finish(
            measurement, route: route(), status: finalStatus, error: error, bytesIn: requestBytes(),
            bytesOut: bytesOut, profile: handled.savedReport, endMonotonicNanoseconds: handlerEnd)
        return handled.outcome
    }

    /// Runs `next` bound to the request's trace (when it is measured), so spans and recorded
    /// errors inside the handler attach to it.
    private static func traced<Response>(
        _ trace: TraceContext?, _ next: () async throws -> Response
    ) async throws -> Response {
        guard let trace else { return try await next() }
        return try await RequestTrace.$current.withValue(trace) { try await next() }
    }

    /// Session -> sink for an accepted `?profile=1`. The handler's error is kept in the
    /// outcome rather than thrown, so that the metrics see its status.
    /// - Parameter requestTimestampNanoseconds: the measured request's `ts_ns`, which a saved
    ///   report's profiles.json entry carries; nil (unmeasured) means the profile's start.
    private func profile<Response>(
        _ plan: ProfilingPlan,
        method: String,
        path: String,
        route: () -> String?,
        status: (Result<Response, any Error>) -> Int,
        requestTimestampNanoseconds: UInt64?,
        next: () async throws -> Response
    ) async -> HandledRequest<Response> {
        let recording: RequestRecording<Response>
        do {
            recording = try await recorder.record(
                plan: plan, method: method, path: path, route: route, status: status, handler: next)
        } catch {
            sink.logger.error("request profiler: could not start profiling: \(error)")
            let reason = HTTPHeaderField(ProfilingParameter.skippedHeader, "the profiler could not start (see the server log)")
            return HandledRequest(outcome: .original(await Self.catching(next), headers: [reason]))
        }
        pyroscope?.submit(profile: recording.profile)
        let (routeName, handlerStatus) = (route() ?? RouteName.unmatched, status(recording.result))
        // Rendered and saved where the profile was built, not on the cooperative pool: an html
        // report of a long profile takes hundreds of ms, and a save can block on a slow or hung
        // reports folder; on the pool either held one of a two-core server's two request threads.
        // The saved report's line in the index and the deletion of reports the list forgets are
        // file work on that folder too.
        let (outcome, saved) = await withTaskExecutorPreference(ReportBuildThread.requests) {
            let outcome = sink.deliver(recording, plan: plan)
            guard case .original(_, let headers) = outcome,
                let saved = headers.first(where: { $0.name == ProfilingParameter.reportHeader })?.value
            else { return (outcome, nil as String?) }
            reportRemover.remove(profiles.register(CapturedProfile(
                file: saved, method: method, route: routeName, status: handlerStatus,
                durationNanoseconds: recording.profile.metadata.durationNanoseconds,
                timestampNanoseconds: requestTimestampNanoseconds ?? Self.nanoseconds(since1970: recording.profile.metadata.startTime),
                trigger: .query)))
            return (outcome, saved)
        }
        heapTrimmer.reportBuilt()
        var handled = HandledRequest(outcome: outcome)
        if case .replaced = outcome {
            handled.handlerStatus = handlerStatus
            if case .failure(let error) = recording.result { handled.handlerError = error }
        }
        handled.savedReport = saved
        return handled
    }

    /// Runs `next` under an automatic profile and keeps the report if the request was slow.
    /// If the profiler cannot start, the request is served unprofiled: auto-capture never
    /// fails a request.
    private func autoProfile<Response>(
        _ autoCapture: AutoCapture,
        method: String,
        path: String,
        route: () -> String?,
        status: (Result<Response, any Error>) -> Int,
        requestTimestampNanoseconds: UInt64?,
        next: () async throws -> Response
    ) async -> HandledRequest<Response> {
        // The handler's own time decides, not the profile's: that includes starting the session.
        var handlerNanoseconds: UInt64 = 0
        let recorded: (result: Result<Response, any Error>, keptSession: ProfilingSession?)
        do {
            recorded = try await recorder.record(
                plan: autoCapture.plan,
                handler: {
                    let start = ContinuousClock.now
                    defer { handlerNanoseconds = Self.nanoseconds(ContinuousClock.now - start) }
                    return try await next()
                },
                keepsProfile: { _ in
                    autoCapture.isSlow(
                        durationNanoseconds: handlerNanoseconds, method: method, route: route() ?? RouteName.unmatched,
                        stats: metrics?.stats)
                })
        } catch {
            if let leftOut = autoCapture.startFailures.shouldLog(at: MetricsClock.system.monotonicNanoseconds()) {
                sink.logger.warning(
                    "request profiler: could not start an automatic profile: \(error)\(ThrottledWarning.leftOutNote(leftOut)); said at most once a minute")
            }
            return HandledRequest(outcome: .original(await Self.catching(next), headers: []))
        }
        var handled = HandledRequest(outcome: .original(recorded.result, headers: []))
        if let session = recorded.keptSession {
            handled.keptAutoProfile = KeptAutoProfile(
                session: session,
                request: RequestInfo(method: method, path: path, route: route(), status: status(recorded.result)),
                handlerNanoseconds: handlerNanoseconds, requestTimestampNanoseconds: requestTimestampNanoseconds)
        }
        return handled
    }

    /// Queues a kept automatic profile for ``BackgroundSaves``, which builds and saves it after
    /// the response; `then` gets the saved file's name (nil when saving failed, or when too
    /// many reports already wait and this one is dropped, as the log says).
    func saveInBackground(_ kept: KeptAutoProfile, by autoCapture: AutoCapture, then: @escaping @Sendable (String?) -> Void) {
        let queued = autoCapture.saves.enqueue { [self] in
            then(await save(kept, by: autoCapture))
        }
        guard !queued else { return }
        if let leftOut = autoCapture.droppedSaves.shouldLog(at: MetricsClock.system.monotonicNanoseconds()) {
            sink.logger.warning(
                "request profiler: \(BackgroundSaves.maximumQueued) automatic reports already wait to be saved; the profile of \(kept.request.method) \(kept.request.route ?? kept.request.path) is dropped\(ThrottledWarning.leftOutNote(leftOut)); said at most once a minute")
        }
        Task.detached { await kept.session.discard() }
        then(nil)
    }

    /// Builds a kept automatic profile, saves it as the route's newest automatic report and
    /// sends it to Pyroscope (also when it could not be saved).
    private func save(_ kept: KeptAutoProfile, by autoCapture: AutoCapture) async -> String? {
        let profile = await RequestRecorder.profile(of: kept.session, request: kept.request, buildingOn: autoCapture.saves.builder)
        let saved = autoCapture.save(
            profile, durationNanoseconds: kept.handlerNanoseconds, method: kept.request.method,
            route: kept.request.route ?? RouteName.unmatched, status: kept.request.status ?? 0,
            timestampNanoseconds: kept.requestTimestampNanoseconds ?? Self.nanoseconds(since1970: profile.metadata.startTime))
        // Sent whether or not it was saved: a full disk is no reason to lose it twice.
        pyroscope?.submit(profile: profile)
        heapTrimmer.reportBuilt()
        return saved
    }

    @usableFromInline
    static func catching<Response>(_ body: () async throws -> Response) async -> Result<Response, any Error> {
        do {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }

    static func nanoseconds(_ duration: Duration) -> UInt64 {
        duration.clampedNanoseconds
    }

    /// 0 before 1970 (or NaN), `UInt64.max` past what 64 bits of nanoseconds hold (the year
    /// 2554), rather than a trap on a clock set that far.
    static func nanoseconds(since1970 seconds: Double) -> UInt64 {
        let nanoseconds = seconds * 1e9
        guard nanoseconds > 0 else { return 0 }
        return nanoseconds < 1.8e19 ? UInt64(nanoseconds) : .max
    }
}
