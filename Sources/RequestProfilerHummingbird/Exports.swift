#if Hummingbird
/// `ProfilingSettings` and the rest of the framework-neutral API come with the adapter:
/// `import RequestProfilerHummingbird` is all a server needs for README's install lines. The
/// module they live in is not a product of the package, so a server could not import it itself.
@_exported import RequestProfilerHTTP
#endif
