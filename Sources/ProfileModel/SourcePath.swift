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
public enum SourcePath {
    static let checkoutsMarker = "/.build/checkouts/"
    static let packageFolders = ["/Sources/", "/Tests/", "/Examples/", "/Plugins/", "/.build/"]

    /// The display form of `path`; `isApplication` says the file is the application's own.
    public static func short(_ path: String, isApplication: Bool) -> String {
        guard path.hasPrefix("/") else { return path }
        if let checkout = path.firstRange(of: checkoutsMarker) {
            let rest = path[checkout.upperBound...]
            if let sources = rest.firstRange(of: "/Sources/") { return String(rest[sources.upperBound...]) }
            return String(rest)
        }
        if isApplication, let root = packageFolders.compactMap({ path.firstRange(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
            return String(path[path.index(after: root.lowerBound)...])
        }
        if let sources = path.ranges(of: "/Sources/").last {
            return String(path[sources.upperBound...])
        }
        let components = path.split(separator: "/")
        guard components.count > 2 else { return path }
        return "…/" + components.suffix(2).joined(separator: "/")
    }
}
