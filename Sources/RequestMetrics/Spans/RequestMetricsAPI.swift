/// The manual API for application code: time a block as a span of the current request, or
/// record an error into the dashboard's ring. Outside a measured request (no
/// ``RequestTrace/current``) the blocks just run and errors are ignored, so library code can
/// call these unconditionally.
public enum RequestMetricsAPI {
    /// Runs `body` as a span named `name` under the current span, emitting a SPAN event with
    /// its duration (and its error, if it throws). Spans opened inside nest under this one.
    public static func span<T, E: Error>(_ name: String, _ body: () throws(E) -> T) throws(E) -> T {
        guard let parent = RequestTrace.current else { return try body() }
        let timer = SpanTimer(name: name, parent: parent)
        let result = RequestTrace.$current.withValue(timer.childContext) { () -> Result<T, E> in
            do throws(E) { return .success(try body()) } catch { return .failure(error) }
        }
        timer.finish(result)
        return try result.get()
    }

    /// The async form of ``span(_:_:)-(_,()->T)``.
    public static func span<T, E: Error>(
        _ name: String, isolation: isolated (any Actor)? = #isolation, _ body: () async throws(E) -> T
    ) async throws(E) -> T {
        guard let parent = RequestTrace.current else { return try await body() }
        let timer = SpanTimer(name: name, parent: parent)
        let result = await RequestTrace.$current.withValue(timer.childContext) { () async -> Result<T, E> in
            do throws(E) { return .success(try await body()) } catch { return .failure(error) }
        }
        timer.finish(result)
        return try result.get()
    }

    /// Records `error` for the current request: into the stats store's recent-error ring and as a
    /// REQ_META event (always emitted, whatever the sample rate: the caller asked for it).
    public static func recordError(_ error: any Error, status: Int = 500) {
        guard let context = RequestTrace.current else { return }
        let pipeline = context.sink
        let failure = FailureDescription(error: error, status: status)
        let route = context.routeSource?.matchedRoute ?? context.route ?? RouteName.unmatched
        let now = pipeline.wallNanoseconds
        pipeline.stats.record(
            RecentError(
                timestampNanoseconds: now, method: context.method, route: route, status: status,
                exceptionType: failure.type, exceptionValue: failure.value))
        pipeline.collector.submit(
            .error(
                RequestErrorEvent(
                    timestampNanoseconds: now, traceID: context.traceID, spanID: context.spanID,
                    method: context.method, route: route, status: status, exceptionType: failure.type,
                    exceptionValue: failure.value, traceback: failure.traceback)))
    }
}
