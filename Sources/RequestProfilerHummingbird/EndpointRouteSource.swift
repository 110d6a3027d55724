#if Hummingbird
import Hummingbird
import RequestMetrics

/// The route Hummingbird has matched so far, read from the context's endpoint path, whose
/// storage every copy of the context shares: a result-builder router (`RouterBuilder`) sets it
/// inside the middleware chain, after the profiler's middleware made the request's trace.
struct EndpointRouteSource: MatchedRouteSource {
    let endpointPath: EndpointPath

    /// The route template in the endpoint path; nil when none matched (Hummingbird names an
    /// unmatched request's endpoint "NotFound"). A first-byte test: `hasPrefix` compares by
    /// Character, which costs more per request.
    var matchedRoute: String? {
        endpointPath.value.flatMap { $0.utf8.first == UInt8(ascii: "/") ? $0 : nil }
    }
}
#endif
