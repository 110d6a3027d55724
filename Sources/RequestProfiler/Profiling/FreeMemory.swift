import CSampler

/// The C allocator's free memory, for callers that just released a lot of it.
public enum FreeMemory {
    /// Returns the heap's free pages to the kernel (glibc's `malloc_trim(0)`): building a
    /// profile allocates tens of MB for a moment, and glibc otherwise keeps them. Costs a few
    /// milliseconds on a large heap; call it off any request's path. True if memory was returned.
    @discardableResult
    public static func returnToTheSystem() -> Bool { rp_return_free_heap() != 0 }
}
