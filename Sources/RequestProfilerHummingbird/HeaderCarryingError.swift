#if Hummingbird
import HTTPTypes
import Hummingbird

/// A handler's `HTTPResponseError` that must also carry the profiler's headers
/// (`X-Profile-Report`, `X-Profile-Skipped`) to the client.
///
/// The middleware rethrows the handler's errors instead of answering them itself, so that a
/// middleware added before it sees what it would see without the profiler: Hummingbird's
/// `FileMiddleware` serves a file only when it catches a 404 error, and error-mapping
/// middleware matches on the error. Only when there are headers to add (a profiled request
/// whose report was saved, or one that was served unprofiled with a reason) is the error
/// wrapped; the wrapper keeps its status and its response, so status-based handling still
/// works.
struct HeaderCarryingError: HTTPResponseError {
    let wrapped: any HTTPResponseError
    let headers: HTTPFields

    var status: HTTPResponse.Status { wrapped.status }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try wrapped.response(from: request, context: context)
        for field in headers { response.headers[field.name] = field.value }
        return response
    }
}
#endif
