import Foundation
import ReportTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A fixture library (``SharedLibraryFixture``) built in a folder of its own and loaded with
/// dlopen, for one test; `unload()` closes it and removes the folder.
struct LoadedLibrary {
    let folder: TemporaryDirectory
    let path: String
    private let handle: UnsafeMutableRawPointer

    init(_ source: String, named name: String, splitDebugInfo: Bool = false, buildID: Bool = true) throws {
        folder = try TemporaryDirectory()
        do {
            path = try SharedLibraryFixture.build(source, named: name, in: folder.url, splitDebugInfo: splitDebugInfo, buildID: buildID)
            handle = try #require(dlopen(path, RTLD_NOW | RTLD_LOCAL), "dlopen \(name) failed")
        } catch {
            folder.remove()
            throw error
        }
    }

    /// Where `function` was loaded.
    func address(of function: String) throws -> UInt {
        UInt(bitPattern: try #require(dlsym(handle, function), "no \(function) in \(path)"))
    }

    func unload() {
        dlclose(handle)
        folder.remove()
    }
}
