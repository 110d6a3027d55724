import Testing

@testable import RequestProfiler

/// The handler follows async callers from the runtime's task-resume function. In a
/// `--static-swift-stdlib` build (the Vapor and Hummingbird Dockerfiles' default) that function
/// is a local symbol of the executable, not of libswift_Concurrency.so.
@Suite struct AsyncResumeBoundaryTests {
    @Test func theResumeFunctionIsFoundWhereverTheRuntimeWasLinked() throws {
        let inRuntimeLibrary = try #require(
            AsyncResumeBoundary.range(in: .shared, imagePrefixes: ["libswift_Concurrency"]))
        #expect(inRuntimeLibrary.count > 0)
        // No image has that name: as in a static build, the search goes on in every image.
        let anywhere = AsyncResumeBoundary.range(in: .shared, imagePrefixes: ["libswift_Concurrency_static_build", ""])
        #expect(anywhere == inRuntimeLibrary)
        #expect(AsyncResumeBoundary.imagePrefixes.last == "")
        #expect(AsyncResumeBoundary.isAvailable)
    }
}
