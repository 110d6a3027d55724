import ProfileModel

/// Decides a frame's kind from its image, source path and Swift module.
///
/// A SwiftPM server links its dependencies statically into one executable, so inside the
/// executable the source path decides (`.build/checkouts/`, or `.build/registry/downloads/`
/// for a registry's packages, is a dependency) and, without debug info, the module name
/// against the modules of the common server packages.
///
/// A function's own source, `Sources/<its module>/...` (or a file right in `Sources/`, the
/// layout of a one-target package) outside the dependencies, is stronger
/// than the module list: a user's module named `LoggingService` or `MetricsAPI` begins like
/// swift-log's `Logging` or swift-metrics' `Metrics`, and its code was hidden as library code.
/// Only that path counts, not any path outside the checkouts: an address of a NIO function can
/// carry the source of standard-library code inlined into it (`.../stdlib/public/core/...`).
/// The toolchain's own modules (Foundation, Dispatch...), linked in by `--static-swift-stdlib`,
/// are library code wherever their source lies.
///
/// One function's addresses can disagree: code inlined from a dependency (NIO's `ByteBuffer`
/// in a user's handler, in a release build) has the dependency's source path. The profile's
/// frame table makes a function the user's when any of its addresses is in its own source
/// (``isOwnSource(_:)``), and takes its location from those addresses.
struct FrameClassifier: Sendable {
    /// Path of the main executable, whose code is the user's unless proven otherwise.
    let executablePath: String
    /// The module SwiftPM makes of the executable's name: the user's own.
    let executableModule: String
    /// The folder the executable is in, where SwiftPM also puts the project's dynamic libraries.
    let executableFolder: Substring

    /// Modules the executable's debug info says were compiled from the project's own sources
    /// (`Sources/<Module>/`, outside any dependency's checkout). They are the user's even where
    /// an address has no line of its own to show it (every async resume address, code inlined
    /// from the standard library) and the module's name begins like a library's
    /// (`MetricsAPI`, `GRPCServices`): without this, such a handler's frames were hidden.
    let ownModules: Set<String>

    /// - Parameter projectModules: the executable's (see
    ///   ``Symbolizer/projectModules(ofImageContaining:)``; `""` is the executable's own).
    init(executablePath: String, projectModules: Set<String> = []) {
        self.executablePath = executablePath
        let executableModule = Self.moduleName(ofFolder: Substring(executablePath.split(separator: "/").last ?? ""))
        self.executableModule = executableModule
        executableFolder = Self.folder(of: executablePath)
        ownModules = Set(projectModules.map { $0.isEmpty ? executableModule : $0 })
    }

    /// The module a project source file belongs to: the folder after its last `/Sources/`
    /// (`""` for a file right in `Sources/`: the executable's own module); nil for a
    /// dependency's or for a file outside any `Sources/`.
    static func projectModule(of file: String) -> String? {
        guard !isInDependency(file), let sources = file.ranges(of: "/Sources/").last else { return nil }
        let rest = file[sources.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "" }
        return moduleName(ofFolder: rest[..<slash])
    }

    /// The standard library and the toolchain's small overlays (`Glibc.fcntl`, `Cxx`), whose
    /// static archives carry no debug info.
    static let runtimeModules: Set<String> = ["Swift", "_Concurrency", "_StringProcessing", "Synchronization", "_SwiftConcurrencyShims",
                                              "_RegexParser", "RegexBuilder", "Observation", "Distributed", "Glibc", "Musl",
                                              "SwiftGlibc", "_Builtin_float", "_Volatile", "Cxx", "CxxStdlib", "Runtime",
                                              "_Differentiation"]
    static let profilerModules: Set<String> = ["RequestProfiler", "ProfileModel", "ProfileReports", "RequestProfilerHTTP",
                                               "RequestProfilerVapor", "RequestProfilerHummingbird"]
    static let libraryModulePrefixes = ["NIO", "_NIO", "CNIO", "Vapor", "Hummingbird", "HTTPTypes", "Logging", "Metrics", "CoreMetrics",
                                        "AsyncHTTPClient", "ServiceLifecycle", "RoutingKit", "ConsoleKit", "AsyncKit", "MultipartKit",
                                        "WebSocketKit", "Crypto", "_Crypto", "Atomics", "DequeModule", "OrderedCollections",
                                        "Collections", "InternalCollectionsUtilities", "Algorithms", "AsyncAlgorithms", "SQLiteNIO",
                                        "SQLKit", "FluentKit", "Fluent", "PostgresNIO", "Mustache", "Foundation", "_Foundation",
                                        "Dispatch", "X509", "SwiftASN1", "Configuration", "ServiceContextModule", "Tracing",
                                        "Instrumentation", "Testing", "XCTest", "Leaf", "JWTKit", "GRPC", "SwiftProtobuf"]
    /// The toolchain's library modules: library code even when linked statically, whose
    /// sources are not in `.build/checkouts/`.
    static let toolchainLibraryModules: Set<String> = [
        "Foundation", "FoundationEssentials", "FoundationInternationalization", "FoundationNetworking", "FoundationXML",
        "_FoundationCShims", "_FoundationCollections", "_FoundationUnicode", "Dispatch", "XCTest", "Testing", "_Testing_Foundation",
        "_TestDiscovery", "_TestingInternals",
    ]

    func kind(of symbol: Symbol) -> FrameKind {
        guard symbol.isResolved else { return .unknown }
        let image = symbol.imageName
        if symbol.imagePath != executablePath {
            if image.hasPrefix("libswift") && !image.hasPrefix("libswiftDispatch") { return .runtime }
            if image.hasPrefix("libFoundation") || image.hasPrefix("libswiftDispatch") || image.hasPrefix("libdispatch")
                || image.hasPrefix("libBlocksRuntime") || image.hasPrefix("libTesting") || image.hasPrefix("libXCTest")
                || image.hasPrefix("lib_Foundation") || image.hasPrefix("libicu") { return .library }
            if !image.hasPrefix("lib") && !image.hasPrefix("ld-") { return classifyInExecutable(symbol) }
            // A dynamic library of the project's own (`.library(type: .dynamic)`) or of a
            // dependency, built beside the executable, told from the system's by its source
            // path: only with debug info, since a C name can look like a Swift one (`foo.cold`
            // is no module `foo`), and only beside the executable (a toolchain's or a vendor's
            // library elsewhere can carry `Sources/<Module>/` paths of its own build).
            if Self.folder(of: symbol.imagePath) == executableFolder, let file = symbol.file,
                let module = SymbolNameNormalizer.module(of: symbol.name) {
                if isInOwnSources(file, module: module) { return .application }
                if Self.isInDependency(file) { return .library }
            }
            return .system
        }
        return classifyInExecutable(symbol)
    }

    private func classifyInExecutable(_ symbol: Symbol) -> FrameKind {
        let module = SymbolNameNormalizer.module(of: symbol.name)
        if let module, Self.profilerModules.contains(module) { return .profiler }
        if symbol.name.hasPrefix("rp_") { return .profiler }
        if let module, Self.runtimeModules.contains(module) { return .runtime }
        if symbol.name.hasPrefix("swift_") || symbol.name.hasPrefix("_swift_") { return .runtime }
        if let module, Self.toolchainLibraryModules.contains(module) { return .library }
        // The executable's own module (SwiftPM names the executable after it) is the user's,
        // also when its name begins like a library's (`HummingbirdDemo`, `VaporAPI`) and the
        // address has no line to show its source.
        if let module, module == executableModule || ownModules.contains(module) { return .application }
        if let module, let file = symbol.file, isInOwnSources(file, module: module) { return .application }
        if let file = symbol.file, Self.isInDependency(file) { return .library }
        if let module, Self.libraryModulePrefixes.contains(where: { module.hasPrefix($0) }) { return .library }
        if module == nil, symbol.file == nil { return .system }
        return .application
    }

    /// Whether `symbol`'s address lies in its own function's source, in the project (not in a
    /// dependency): the surest sign of the user's code. Only for symbols of modules that are
    /// not the runtime's, the toolchain's or the profiler's, in the executable or a dynamic
    /// library built beside it.
    func isOwnSource(_ symbol: Symbol) -> Bool {
        guard symbol.isResolved, Self.folder(of: symbol.imagePath) == executableFolder, let file = symbol.file,
            let module = SymbolNameNormalizer.module(of: symbol.name),
            !Self.profilerModules.contains(module), !Self.runtimeModules.contains(module), !Self.toolchainLibraryModules.contains(module)
        else { return false }
        return isInOwnSources(file, module: module)
    }

    /// `file` is in `Sources/<module>/` (the folder named as SwiftPM names the module:
    /// `my-server` holds `my_server`), or right in `Sources/` for the executable's own module
    /// (a one-target package, as `swift package init` lays it out), and not in a dependency.
    /// The module must be the symbol's: a NIO function with a closure of `main.swift` inlined
    /// into it carries that file, and is still NIO's.
    func isInOwnSources(_ file: String, module: String) -> Bool {
        guard !Self.isInDependency(file) else { return false }
        for sources in file.ranges(of: "/Sources/") {
            let rest = file[sources.upperBound...]
            guard let slash = rest.firstIndex(of: "/") else { return module == executableModule }
            if Self.moduleName(ofFolder: rest[..<slash]) == module { return true }
        }
        return false
    }

    /// The folder a path is in.
    private static func folder(of path: String) -> Substring {
        path.lastIndex(of: "/").map { path[..<$0] } ?? ""
    }

    /// A dependency's source: SwiftPM's checkouts, or a package registry's downloads.
    static func isInDependency(_ file: String) -> Bool {
        file.contains("/checkouts/") || file.contains("/registry/downloads/")
    }

    /// The module SwiftPM makes of a target folder: characters that cannot be in an identifier
    /// become `_`, and a leading digit gets a `_` before it.
    private static func moduleName(ofFolder folder: Substring) -> String {
        let name = String(folder.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        return name.first?.isNumber == true ? "_" + name : name
    }
}
