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
        guard let range = range(in: .shared) else { return false }
        rp_sampler_set_async_resume_range(range.lowerBound, range.upperBound)
        return true
    }()

    /// The runtime's mangled name for the function (a local symbol in a static link).
    static let functionName = "_ZN5swift34runJobInEstablishedExecutorContextEPNS_3JobE"

    /// Where the function is looked for, in order: the concurrency runtime's own library, then
    /// every image (`""`): a server built with `--static-swift-stdlib`, as the Vapor and
    /// Hummingbird Dockerfiles build them, has the runtime inside its executable.
    static let imagePrefixes = ["libswift_Concurrency", ""]

    /// The function's address range, from the first of `imagePrefixes` that has it.
    static func range(in symbolizer: DwarfSymbolizer, imagePrefixes: [String] = imagePrefixes) -> Range<UInt>? {
        for prefix in imagePrefixes {
            if let range = symbolizer.functionRange(named: functionName, inImageWithPrefix: prefix) { return range }
        }
        return nil
    }

    /// Publishes the range once per process. Returns false when the runtime's symbol table
    /// does not name the function (async callers are then not shown).
    @discardableResult
    static func install(using symbolizer: DwarfSymbolizer) -> Bool { installed }

    static var isAvailable: Bool { installed }
}
