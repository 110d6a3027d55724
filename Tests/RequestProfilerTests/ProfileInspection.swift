import RequestProfiler

/// Helpers that read a profile the way a person reading a report would.
extension Profile {
    /// Total wall time of samples whose stack contains a frame whose name contains `name`.
    func wallNanoseconds(through name: String) -> UInt64 {
        samples.filter { $0.stack.contains { frames[$0].name.contains(name) } }.reduce(0) { $0 + $1.wallNanoseconds }
    }

    /// Thread CPU time of samples whose stack contains a frame whose name contains `name`.
    func cpuNanoseconds(through name: String) -> UInt64 {
        samples.filter { $0.stack.contains { frames[$0].name.contains(name) } }.reduce(0) { $0 + $1.cpuNanoseconds }
    }

    /// Samples whose stack contains a frame whose name contains `name`.
    func samples(through name: String) -> [Sample] {
        samples.filter { $0.stack.contains { frames[$0].name.contains(name) } }
    }

    func names(of sample: Sample) -> [String] { sample.stack.map { frames[$0].name } }

    func containsFrame(named name: String) -> Bool { frames.contains { $0.name.contains(name) } }
}
