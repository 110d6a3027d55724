/// An answer the middleware gives instead of running the handler: a bad profiling parameter
/// (400), a missing or wrong token (403), or the concurrency limit with the `reject` policy (429).
public struct ProfilingRejection: Sendable, Equatable, Error {
    public var status: Int
    public var message: String
    public var headers: [HTTPHeaderField]

    public init(status: Int, message: String, headers: [HTTPHeaderField] = []) {
        self.status = status
        self.message = message
        self.headers = headers
    }
}
