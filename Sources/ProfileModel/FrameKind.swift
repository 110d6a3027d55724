/// Where a frame's code comes from; the call-tree processors hide frames by kind.
///
/// A SwiftPM server links every package statically into one executable, so the image alone
/// cannot tell user code from library code: the symbolizer also looks at the source path
/// (`.build/checkouts/...` is a dependency) and at the Swift module name.
public enum FrameKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The user's own code: what a report should show first.
    case application
    /// Code from a dependency package (SwiftNIO, Vapor, Hummingbird, Foundation, ...).
    case library
    /// The Swift runtime, standard library and concurrency runtime.
    case runtime
    /// C libraries and the loader (libc, libm, ld.so) and code of unknown images.
    case system
    /// The profiler's own executor and sampling frames.
    case profiler
    /// Synthetic leaf standing for time the task spent suspended on an `await`.
    case await
    /// An address no symbol covered.
    case unknown
}
