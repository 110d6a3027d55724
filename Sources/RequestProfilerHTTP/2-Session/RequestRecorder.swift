import DedicatedThreads
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
    ///
    /// The profile is built on ``ReportBuildThread/requests``, not the cooperative pool (nor
    /// behind automatic reports). Building blocks for 7 to 40 ms (200 to 330 ms the first time), partly waiting for
    /// the process-wide symbolizer lock: on the pool, two `?profile=1` requests ending
    /// together held both request threads of a two-core server, and every other request waited.
    public func record<Response>(
        plan: ProfilingPlan,
        method: String,
        path: String,
        route: () -> String?,
        status: (Result<Response, any Error>) -> Int,
        handler: () async throws -> Response
    ) async throws -> RequestRecording<Response> {
        let (result, session) = try await run(plan: plan, handler: handler)
        let request = RequestInfo(method: method, path: path, route: route(), status: status(result))
        return RequestRecording(result: result, profile: await Self.profile(of: session, request: request, buildingOn: ReportBuildThread.requests))
    }

    /// Runs `handler` in a session and, when `keepsProfile` says yes, hands the stopped-sampling
    /// session back unbuilt: auto-capture builds it with ``profile(of:request:)`` after the
    /// response is sent. When it says no, the session is discarded without unwinding or
    /// symbolizing.
    /// - Parameter keepsProfile: told the handler's result once it has run.
    public func record<Response>(
        plan: ProfilingPlan,
        handler: () async throws -> Response,
        keepsProfile: (Result<Response, any Error>) -> Bool
    ) async throws -> (result: Result<Response, any Error>, keptSession: ProfilingSession?) {
        let (result, session) = try await run(plan: plan, handler: handler)
        guard keepsProfile(result) else {
            await session.discard()
            return (result, nil)
        }
        return (result, session)
    }

    /// Starts a session for `plan` and runs `handler` in it; sampling has stopped when it returns.
    private func run<Response>(
        plan: ProfilingPlan, handler: () async throws -> Response
    ) async throws -> (result: Result<Response, any Error>, session: ProfilingSession) {
        let profiler = Profiler(configuration: .init(interval: plan.interval, maximumDuration: plan.maximumDuration))
        let session = try profiler.start()
        do {
            return (
                .success(
                    try await session.run {
                        // The last run: sampling stops and the thread is let go of as the handler
                        // returns, not after the hop back (see endRuns).
                        defer { session.endRuns() }
                        return try await handler()
                    }), session)
        } catch {
            return (.failure(error), session)
        }
    }

    /// Builds the profile of a session ``record(plan:handler:keepsProfile:)`` kept (unwinding,
    /// symbolizing) and labels it with its request; `builder` is where the building runs
    /// (the global executor when nil).
    public static func profile(
        of session: ProfilingSession, request: RequestInfo, buildingOn builder: (any TaskExecutor)? = nil
    ) async -> Profile {
        var profile = await session.stop(buildingOn: builder)
        profile.metadata.request = request
        return profile
    }
}
