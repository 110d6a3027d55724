import RequestProfiler

/// Runs one request's handler inside a profiling session and labels the profile with the
/// request: the only part of the HTTP layer that talks to the sampler.
///
/// The handler runs pinned to the session's sampled thread; `ProfilingSession.current` is set
/// inside it, which is how the Vapor adapter finds the session again after Vapor's `Task {}` hop.
public struct RequestRecorder: Sendable {
    public init() {}

    /// Starts a session for `plan`, runs `handler` in it, and stops it.
    ///
    /// Throws only if the session cannot start (e.g. `ProfilerError.invalidInterval`); the
    /// handler's own error is captured in the recording so the report is still made.
    /// - Parameters:
    ///   - route: read after the handler ran (frameworks may only know it then).
    ///   - status: the status of the handler's response, or of its error.
    public func record<Response>(
        plan: ProfilingPlan,
        method: String,
        path: String,
        route: () -> String?,
        status: (Result<Response, any Error>) -> Int,
        handler: () async throws -> Response
    ) async throws -> RequestRecording<Response> {
        let recorded = try await record(
            plan: plan, method: method, path: path, route: route, status: status, handler: handler,
            keepsProfile: { _ in true })
        // keepsProfile always says yes, so the profile is there.
        return RequestRecording(result: recorded.result, profile: recorded.profile ?? Profile(frames: [], samples: [], metadata: ProfileMetadata()))
    }

    /// ``record(plan:method:path:route:status:handler:)`` for a caller that decides only after
    /// the handler whether it wants the profile (auto-capture keeps slow requests only): when
    /// `keepsProfile` says no, the session is discarded without unwinding or symbolizing, and
    /// `profile` is nil.
    /// - Parameter keepsProfile: told the handler's result once it has run.
    public func record<Response>(
        plan: ProfilingPlan,
        method: String,
        path: String,
        route: () -> String?,
        status: (Result<Response, any Error>) -> Int,
        handler: () async throws -> Response,
        keepsProfile: (Result<Response, any Error>) -> Bool
    ) async throws -> (result: Result<Response, any Error>, profile: Profile?) {
        let profiler = Profiler(configuration: .init(interval: plan.interval, maximumDuration: plan.maximumDuration))
        let session = try profiler.start()
        let result: Result<Response, any Error>
        do {
            result = .success(
                try await session.run {
                    // The last run: sampling stops and the thread is let go of as the handler
                    // returns, not after the hop back (see endRuns).
                    defer { session.endRuns() }
                    return try await handler()
                })
        } catch {
            result = .failure(error)
        }
        guard keepsProfile(result) else {
            await session.discard()
            return (result, nil)
        }
        var profile = await session.stop()
        profile.metadata.request = RequestInfo(method: method, path: path, route: route(), status: status(result))
        return (result, profile)
    }
}
