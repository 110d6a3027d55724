import ProfileModel

/// Decides a frame's kind from its image, source path and Swift module.
///
/// A SwiftPM server links its dependencies statically into one executable, so inside the
/// executable the source path decides (`.build/checkouts/` is a dependency) and, without
/// debug info, the module name against the modules of the common server packages.
struct FrameClassifier: Sendable {
    /// Path of the main executable, whose code is the user's unless proven otherwise.
    var executablePath: String

    static let runtimeModules: Set<String> = ["Swift", "_Concurrency", "_StringProcessing", "Synchronization", "_SwiftConcurrencyShims"]
    static let profilerModules: Set<String> = ["RequestProfiler", "ProfileModel", "ProfileReports", "RequestProfilerHTTP",
                                               "RequestProfilerVapor", "RequestProfilerHummingbird"]
    static let libraryModulePrefixes = ["NIO", "_NIO", "CNIO", "Vapor", "Hummingbird", "HTTPTypes", "Logging", "Metrics", "CoreMetrics",
                                        "AsyncHTTPClient", "ServiceLifecycle", "RoutingKit", "ConsoleKit", "AsyncKit", "MultipartKit",
                                        "WebSocketKit", "Crypto", "_Crypto", "Atomics", "DequeModule", "OrderedCollections",
                                        "Collections", "InternalCollectionsUtilities", "Algorithms", "AsyncAlgorithms", "SQLiteNIO",
                                        "SQLKit", "FluentKit", "Fluent", "PostgresNIO", "Mustache", "Foundation", "_Foundation",
                                        "Dispatch", "X509", "SwiftASN1", "Configuration", "ServiceContextModule", "Tracing",
                                        "Instrumentation", "Testing", "XCTest", "Leaf", "JWTKit", "GRPC", "SwiftProtobuf"]

    func kind(of symbol: Symbol) -> FrameKind {
        guard symbol.isResolved else { return .unknown }
        let image = symbol.imageName
        if symbol.imagePath != executablePath {
            if image.hasPrefix("libswift") && !image.hasPrefix("libswiftDispatch") { return .runtime }
            if image.hasPrefix("libFoundation") || image.hasPrefix("libswiftDispatch") || image.hasPrefix("libdispatch")
                || image.hasPrefix("libBlocksRuntime") || image.hasPrefix("libTesting") || image.hasPrefix("libXCTest")
                || image.hasPrefix("lib_Foundation") || image.hasPrefix("libicu") { return .library }
            if !image.hasPrefix("lib") && !image.hasPrefix("ld-") { return classifyInExecutable(symbol) }
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
        if let file = symbol.file, file.contains("/checkouts/") { return .library }
        if let module, Self.libraryModulePrefixes.contains(where: { module.hasPrefix($0) }) { return .library }
        if module == nil, symbol.file == nil { return .system }
        return .application
    }
}
