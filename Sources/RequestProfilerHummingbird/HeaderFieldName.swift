#if Hummingbird
import HTTPTypes

/// Header names for the core's lookups. `HTTPField.Name(String)` validates and lowercases its
/// argument on every call; `traceparent` is asked for on every measured request, so its name
/// is made once.
enum HeaderFieldName {
    private static let traceparent = HTTPField.Name("traceparent")!

    static func named(_ name: String) -> HTTPField.Name? {
        name == "traceparent" ? traceparent : HTTPField.Name(name)
    }
}
#endif
