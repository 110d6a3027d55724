/// Waiting work for the demo's `/sleep` route: an awaited sleep stands for a slow downstream
/// call. The report shows the handler's wall time spent waiting, not on the CPU.
public enum SimulatedIO {
    /// Waits `milliseconds` in `steps` awaits, doing a little CPU work between them, so the
    /// report shows the handler's frames resumed after each await.
    public static func slowDownstreamCall(milliseconds: Int, steps: Int = 4) async throws -> Int {
        let stepCount = max(steps, 1)
        var checksum = 0
        for step in 0..<stepCount {
            try await Task.sleep(for: .milliseconds(milliseconds / stepCount))
            checksum &+= PrimeCounter.countPrimes(below: 2_000 + step)
        }
        return checksum
    }
}
