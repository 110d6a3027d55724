/// How the sampler itself behaved during one session: for benchmarks and health checks, not
/// part of the profile a report renders.
@_spi(Benchmarking)
public struct SamplerDiagnostics: Sendable {
    /// Nanoseconds the signal handler spent on each recorded sample.
    public var captureCostsNanoseconds: [UInt32]
    /// Samples whose stack libunwind extended or corrected off the signal path.
    public var unwoundSamples: Int
    /// Average bytes of stack copied per sample for the off-path DWARF unwind.
    public var averageSnapshotBytes: Int
    /// Samples recorded while the thread was idle (the task suspended).
    public var idleSamples: Int
    /// Wall-clock nanoseconds spent building the profile (unwinding, symbolizing, attributing).
    public var buildNanoseconds: UInt64
}
