import RequestMetrics
import Synchronization

/// A request that auto-capture picked before `handle` ran (see
/// ``RequestProfilingCore/startInFutureChain(rawQuery:header:method:path:route:)``): its
/// measurement and the auto-capture whose profiling slot it holds.
///
/// A class, so that the slot is freed exactly once whatever the caller does with it: by the
/// ``RequestProfilingCore/handle(automatic:path:route:status:requestBytes:responseBytes:thrownError:next:)``
/// that runs it, or when the start is dropped without being run. A dropped start must not
/// keep the slot (with a limit of one, auto-capture and `?profile=1` would stop for good), and
/// a start run twice must not free a slot that another request holds.
public final class AutomaticProfileStart: Sendable {
    @usableFromInline let measurement: RequestMeasurement
    @usableFromInline let autoCapture: AutoCapture
    private let taken = Atomic<Bool>(false)

    @usableFromInline
    init(measurement: RequestMeasurement, autoCapture: AutoCapture) {
        self.measurement = measurement
        self.autoCapture = autoCapture
    }

    /// True for the first caller only, which then owns the slot (and frees it).
    func take() -> Bool {
        !taken.exchange(true, ordering: .acquiringAndReleasing)
    }

    deinit {
        if !taken.load(ordering: .acquiring) { autoCapture.finished() }
    }
}
