/// Shortens the absolute source paths debug info records (where the binary was compiled,
/// e.g. `/home/ci/work/app/.build/checkouts/hummingbird/Sources/Hummingbird/Router/Router.swift`)
/// to what a reader recognises, the way pyinstrument shows a file relative to the import root
/// it was found under. The roots are read from the path itself, so no environment is needed:
///
/// - A dependency (`…/.build/checkouts/<package>/…`) is shown relative to its package's
///   `Sources/` folder, which starts with the module: `Hummingbird/Router/Router.swift`
///   (without a `Sources/` folder: `<package>/<rest>`).
/// - The application's own file is shown relative to the package root, the folder before the
///   first `/Sources/`, `/Tests/`, `/Examples/`, `/Plugins/` or `/.build/`:
///   `Sources/App/UserController.swift`.
/// - Any other file with a `/Sources/` folder (a toolchain library built from a package, such
///   as swift-foundation) is shown from the module on, like a dependency.
/// - Anything else (the standard library's `…/stdlib/public/core/Array.swift`, C headers) keeps
///   its last two components behind `…/`: `…/core/Array.swift`.
///
/// Paths that are already relative, or have at most two components, are left as they are.
///
/// Searched byte by byte in the UTF-8 (every marker is ASCII): `String.firstRange(of:)` builds
/// a search table per call, which made this the largest cost of a json or html report.
public enum SourcePath {
    static let checkoutsMarker = Array("/.build/checkouts/".utf8)
    static let sourcesFolder = Array("/Sources/".utf8)
    static let packageFolders = ["/Sources/", "/Tests/", "/Examples/", "/Plugins/", "/.build/"].map { Array($0.utf8) }

    /// The display form of `path`; `isApplication` says the file is the application's own.
    public static func short(_ path: String, isApplication: Bool) -> String {
        guard path.utf8.first == UInt8(ascii: "/") else { return path }
        let bytes = Array(path.utf8)
        if let checkout = firstRange(of: checkoutsMarker, in: bytes) {
            if let sources = firstRange(of: sourcesFolder, in: bytes, from: checkout.upperBound) {
                return text(bytes, from: sources.upperBound)
            }
            return text(bytes, from: checkout.upperBound)
        }
        if isApplication, let root = packageFolders.compactMap({ firstRange(of: $0, in: bytes)?.lowerBound }).min() {
            return text(bytes, from: root + 1)
        }
        if let sources = lastRange(of: sourcesFolder, in: bytes) {
            return text(bytes, from: sources.upperBound)
        }
        let components = path.split(separator: "/")
        guard components.count > 2 else { return path }
        return "…/" + components.suffix(2).joined(separator: "/")
    }

    private static func firstRange(of needle: [UInt8], in bytes: [UInt8], from start: Int = 0) -> Range<Int>? {
        guard bytes.count >= needle.count else { return nil }
        for offset in stride(from: start, through: bytes.count - needle.count, by: 1) where matches(needle, bytes, at: offset) {
            return offset..<(offset + needle.count)
        }
        return nil
    }

    private static func lastRange(of needle: [UInt8], in bytes: [UInt8]) -> Range<Int>? {
        guard bytes.count >= needle.count else { return nil }
        for offset in stride(from: bytes.count - needle.count, through: 0, by: -1) where matches(needle, bytes, at: offset) {
            return offset..<(offset + needle.count)
        }
        return nil
    }

    private static func matches(_ needle: [UInt8], _ bytes: [UInt8], at offset: Int) -> Bool {
        for index in needle.indices where bytes[offset + index] != needle[index] { return false }
        return true
    }

    /// The path from a byte offset that follows an ASCII marker, so it starts a character.
    private static func text(_ bytes: [UInt8], from offset: Int) -> String {
        String(decoding: bytes[offset...], as: UTF8.self)
    }
}
