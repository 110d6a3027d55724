extension Profiler {
    /// How a profile is taken.
    public struct Configuration: Sendable, Hashable {
        /// Time between samples. Accepted from 0.1 ms to 100 ms; 1 ms costs about 1-2% here.
        public var interval: Duration
        /// Sampling stops here (the profile is marked truncated); bounds memory and cost.
        public var maximumDuration: Duration
        /// Complete stacks through code without frame pointers (glibc) with libunwind.
        public var unwindsWithLibunwind: Bool
        /// Resolve file:line from DWARF for every frame in the profile.
        public var resolvesLines: Bool

        public static let intervalRange: ClosedRange<Duration> = .microseconds(100) ... .milliseconds(100)

        public init(
            interval: Duration = .milliseconds(1),
            maximumDuration: Duration = .seconds(60),
            unwindsWithLibunwind: Bool = true,
            resolvesLines: Bool = true
        ) {
            self.interval = interval
            self.maximumDuration = maximumDuration
            self.unwindsWithLibunwind = unwindsWithLibunwind
            self.resolvesLines = resolvesLines
        }

        /// Throws a `ProfilerError` naming the first value out of range.
        public func validate() throws {
            guard Self.intervalRange.contains(interval) else { throw ProfilerError.invalidInterval(interval) }
            // At least a nanosecond: the sampler counts whole ones, and takes 0 for "no limit".
            guard maximumDuration >= .nanoseconds(1), maximumDuration <= .seconds(3600) else {
                throw ProfilerError.invalidMaximumDuration(maximumDuration)
            }
        }

        var intervalNanoseconds: UInt64 { Self.nanoseconds(interval) }
        var maximumDurationNanoseconds: UInt64 { Self.nanoseconds(maximumDuration) }

        /// The most samples a session records, whatever its duration and interval.
        static let mostSamples: UInt64 = 4_000_000

        /// Sample records to preallocate: the maximum duration's worth plus slack for jitter.
        var sampleCapacity: Int {
            let expected = maximumDurationNanoseconds / max(intervalNanoseconds, 1)
            return Int(min(expected + expected / 10 + 64, Self.mostSamples))
        }

        static func nanoseconds(_ duration: Duration) -> UInt64 {
            let (seconds, attoseconds) = duration.components
            guard seconds >= 0 else { return 0 }
            return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
        }
    }
}
