/// What the demos' `/fail` route throws: a plain Swift error, not an HTTP one, so that the
/// framework answers 500 and request metrics record it (a `REQ_META` event, the dashboard's
/// recent errors) with its type and message.
public struct DemoFailure: Error, CustomStringConvertible {
    public init() {}

    public var description: String { "the demo's /fail route always fails" }
}
