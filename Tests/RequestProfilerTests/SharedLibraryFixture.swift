import Foundation
import Testing

/// A shared library compiled for a test from C source with the machine's `cc` (gcc is on every
/// machine of this kind; scripts/setup.sh names it): images the tests can load and unload.
enum SharedLibraryFixture {
    /// Compiles `source` into `folder/lib<name>.so` with debug info and a build ID and returns
    /// its path. `splitDebugInfo`: the DWARF moves to `lib<name>.so.debug`, which the library's
    /// `.gnu_debuglink` names (as a deploy ships it). `optimization`: `-O2` for a release build's
    /// inlining. `buildID: false`: none, as some hand-made builds have none.
    static func build(
        _ source: String, named name: String, in folder: URL, splitDebugInfo: Bool = false, optimization: String = "-O0", buildID: Bool = true
    ) throws -> String {
        let sourceFile = folder.appendingPathComponent("\(name).c")
        try Data(source.utf8).write(to: sourceFile)
        let library = folder.appendingPathComponent("lib\(name).so").path
        try run("/usr/bin/cc", ["-g", optimization, "-shared", "-fPIC", buildID ? "-Wl,--build-id" : "-Wl,--build-id=none", "-o", library, sourceFile.path])
        if splitDebugInfo {
            try run("/usr/bin/objcopy", ["--only-keep-debug", library, library + ".debug"])
            try run("/usr/bin/objcopy", ["--strip-debug", "--add-gnu-debuglink=\(library).debug", library])
        }
        return library
    }

    /// Compiles Swift `source` into `folder/lib<name>.so` as `swift build -c release` compiles
    /// a package on Linux (`-O -g`: inlining, with debug info; frame pointers kept, which
    /// SwiftPM asks for with `-Xcc -fno-omit-frame-pointer`) by the toolchain's `swiftc`,
    /// found on PATH as the tests' own `swift` was.
    static func buildSwift(_ source: String, named name: String, in folder: URL) throws -> String {
        let sourceFile = folder.appendingPathComponent("\(name).swift")
        try Data(source.utf8).write(to: sourceFile)
        let library = folder.appendingPathComponent("lib\(name).so").path
        try run("/usr/bin/env", ["swiftc", "-O", "-g", "-Xcc", "-fno-omit-frame-pointer", "-emit-library", "-module-name", name, "-o", library, sourceFile.path])
        return library
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        try #require(FileManager.default.isExecutableFile(atPath: tool), "\(tool) is needed (apt-get install -y gcc binutils)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(tool) \(arguments.joined(separator: " ")): \(message)")
    }
}
