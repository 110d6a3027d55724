#if Vapor
import Vapor

/// The error a route's handler (or its route-group middleware) threw, kept in the request's
/// storage by ``ProfilingRouteResponder``. Vapor's `ErrorMiddleware` turns that error into a
/// response inside ``RequestProfilingMiddleware``, which would otherwise see only "HTTP 500":
/// with it, REQ_META events and the dashboard's error ring carry the error's type and message.
struct HandlerErrorKey: StorageKey {
    typealias Value = any Error
}
#endif
