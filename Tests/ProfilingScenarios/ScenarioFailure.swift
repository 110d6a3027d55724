/// The plain Swift error the `crashes` scenario route throws: no HTTP status of its own, so
/// the framework answers 500, and its type and message must reach the REQ_META event.
public struct ScenarioFailure: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "the scenario failed on purpose" }
}
