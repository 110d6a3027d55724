/// What rebuilding a profile from a saved report makes (see `Profile(report:)`), counted when
/// the report is checked: what a merge of many reports adds up, and must keep within what one
/// report may hold.
public struct RebuildSize: Sendable, Hashable {
    /// Samples, counting the (at most two) a node's running and suspended time may add.
    public var samples = 0
    /// The samples' stack frames in all (samples times depth).
    public var frames = 0
    /// The frames the rebuilt stacks hold in memory (one stack per node).
    public var stackFrames = 0
    /// The samples' wall time in all.
    public var wallNanoseconds: UInt64 = 0
    /// The samples' CPU time in all: each node's own, what its children's do not account for.
    /// Bounded like wall time, since readers add samples' CPU up without overflow checks.
    public var cpuNanoseconds: UInt64 = 0

    public init() {}
}
