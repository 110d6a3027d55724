/// What an adapter must send for a request that went through the core.
public enum ProfilingOutcome<Response> {
    /// The handler's own response (or error, rethrown), with these headers added to a response
    /// (`X-Profile-Report` naming a saved file, `X-Profile-Skipped` saying why there is no report).
    case original(Result<Response, any Error>, headers: [HTTPHeaderField])
    /// A report or a rejection, sent instead of the handler's response.
    case replaced(ProfilingResponse)
}
