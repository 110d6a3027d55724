/// How a harness reaches the app: through the framework's in-process test path (no socket),
/// or through a real HTTP server listening on a loopback port.
public enum ScenarioTransport: String, Sendable, CaseIterable {
    case inMemory = "in memory"
    case loopback = "over loopback"
}
