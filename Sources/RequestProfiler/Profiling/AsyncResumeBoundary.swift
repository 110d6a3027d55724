import CSampler

/// Tells the signal handler where async code begins on the native stack.
///
/// The concurrency runtime resumes a task by calling its partial function from
/// `swift::runJobInEstablishedExecutorContext`; a frame whose return address lies in that
/// function is therefore the outermost partial function, and its async context is at [fp - 8].
/// Looking only for that one function (rather than any address in libswift_Concurrency) keeps
/// the handler from mistaking a synchronous callback from the runtime for an async frame.
enum AsyncResumeBoundary {
    private static let installed: Bool = {
        let candidates = ["_ZN5swift34runJobInEstablishedExecutorContextEPNS_3JobE"]
        for name in candidates {
            if let range = DwarfSymbolizer.shared.functionRange(named: name, inImageWithPrefix: "libswift_Concurrency") {
                rp_sampler_set_async_resume_range(range.lowerBound, range.upperBound)
                return true
            }
        }
        return false
    }()

    /// Publishes the range once per process. Returns false when the runtime's symbol table
    /// does not name the function (async callers are then not shown).
    @discardableResult
    static func install(using symbolizer: DwarfSymbolizer) -> Bool { installed }

    static var isAvailable: Bool { installed }
}
