import RequestProfiler

/// What profiling one request produced: the handler's result (its response or its error) and
/// the profile, with `metadata.request` filled in.
public struct RequestRecording<Response> {
    public var result: Result<Response, any Error>
    public var profile: Profile
}
