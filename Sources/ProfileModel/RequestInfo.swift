/// The HTTP request a profile was taken for. The core engine never fills this in; the
/// middleware does, so that the sampler stays ignorant of HTTP.
public struct RequestInfo: Sendable, Hashable, Codable {
    public var method: String
    /// The path as requested, without the query.
    public var path: String
    /// The route template (`/users/:id`), when the framework matched one.
    public var route: String?
    /// Response status, once known.
    public var status: Int?

    public init(method: String, path: String, route: String? = nil, status: Int? = nil) {
        self.method = method
        self.path = path
        self.route = route
        self.status = status
    }
}
