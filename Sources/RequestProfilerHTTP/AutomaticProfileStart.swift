import RequestMetrics

/// A request that auto-capture picked before `handle` ran (see
/// ``RequestProfilingCore/startInFutureChain(rawQuery:header:method:path:route:)``): its
/// measurement and the auto-capture whose profiling slot it holds. Opaque, so that only the
/// core's own draw can make one, and the slot is freed by the `handle` that runs it.
public struct AutomaticProfileStart: Sendable {
    @usableFromInline let measurement: RequestMeasurement
    @usableFromInline let autoCapture: AutoCapture

    @usableFromInline
    init(measurement: RequestMeasurement, autoCapture: AutoCapture) {
        self.measurement = measurement
        self.autoCapture = autoCapture
    }
}
