/// How the json report's tree was shaped, so a consumer knows whether frames are missing.
public struct JSONReportTreeOptions: Sendable, Hashable, Codable {
    /// False when library/runtime frames were collapsed into `hiddenFrameCount`.
    public var showAllFrames: Bool
    public var hidePatterns: [String]
    public var showPatterns: [String]
    /// Nodes below this fraction of the total were folded into their parents (0 = none).
    public var threshold: Double
}
