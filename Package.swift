// swift-tools-version:6.1
import PackageDescription

/// Layout follows the pipeline: request -> middleware -> sampler -> samples -> symbols
/// -> profile -> renderer -> sink.
///
/// - `CSampler`: the C signal handler, per-thread timers, preallocated buffers, and the
///   off-signal-path libunwind completion of copied stacks.
/// - `ProfileModel`: the `Profile` (frame table + samples + weights + metadata), call tree, processors.
/// - `ProfileReports`: one renderer per format; html/text from `Templates/`.
/// - `RequestProfiler`: the public entry point (`Profiler`), executor pinning, symbolication.
/// - `RequestProfilerHTTP`: framework-neutral middleware core (settings, trigger, session, sink).
/// - `RequestProfilerVapor` / `RequestProfilerHummingbird`: thin adapters behind package traits.
let package = Package(
    name: "swift-request-profiler",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RequestProfiler", targets: ["RequestProfiler"]),
        .library(name: "RequestProfilerVapor", targets: ["RequestProfilerVapor"]),
        .library(name: "RequestProfilerHummingbird", targets: ["RequestProfilerHummingbird"]),
        .executable(name: "request-profiler-benchmarks", targets: ["RequestProfilerBenchmarks"]),
        .executable(name: "VaporDemo", targets: ["VaporDemo"]),
        .executable(name: "HummingbirdDemo", targets: ["HummingbirdDemo"]),
    ],
    traits: [
        .trait(name: "Vapor", description: "Builds the Vapor 4 middleware adapter."),
        .trait(name: "Hummingbird", description: "Builds the Hummingbird 2 middleware adapter."),
        .default(enabledTraits: ["Vapor", "Hummingbird"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibunwind",
            pkgConfig: "libunwind-generic",
            providers: [.apt(["libunwind-dev"])]
        ),
        .systemLibrary(
            name: "CLibdw",
            pkgConfig: "libdw",
            providers: [.apt(["libdw-dev"])]
        ),
        .target(
            name: "CSampler",
            dependencies: ["CLibunwind"],
            cSettings: [.define("_GNU_SOURCE")],
            linkerSettings: [.linkedLibrary("dl"), .linkedLibrary("rt")]
        ),
        .target(name: "ProfileModel"),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "ReportTemplates",
            path: "Templates",
            exclude: ["README.md"],
            resources: [
                .embedInCode("html/page.mustache"),
                .embedInCode("html/header.mustache"),
                .embedInCode("html/style.mustache"),
                .embedInCode("html/script.mustache"),
                .embedInCode("text/report.mustache"),
                .embedInCode("text/summary.mustache"),
            ]
        ),
        .target(
            name: "ProfileReports",
            dependencies: [
                "ProfileModel",
                "ReportTemplates",
                "CZlib",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(
            name: "RequestProfiler",
            dependencies: ["CSampler", "CLibdw", "ProfileModel", "ProfileReports"]
        ),
        .target(
            name: "RequestProfilerHTTP",
            dependencies: [
                "RequestProfiler",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "RequestProfilerVapor",
            dependencies: [
                "RequestProfilerHTTP",
                .product(name: "Vapor", package: "vapor", condition: .when(traits: ["Vapor"])),
            ]
        ),
        .target(
            name: "RequestProfilerHummingbird",
            dependencies: [
                "RequestProfilerHTTP",
                .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
            ]
        ),
        .executableTarget(
            name: "RequestProfilerBenchmarks",
            dependencies: ["RequestProfiler", "RequestProfilerHTTP"]
        ),
        .testTarget(name: "ProfileModelTests", dependencies: ["ProfileModel"]),
        .testTarget(
            name: "ProfileReportsTests",
            dependencies: ["ProfileReports", "ReportTemplates", "RequestProfiler"],
            exclude: ["Golden"]  // read through #filePath, never bundled
        ),
        .testTarget(name: "RequestProfilerTests", dependencies: ["RequestProfiler", "CSampler"]),
        // Run by RequestProfilerTests in a fresh process: a SIGPROF handler installed before ours.
        .executableTarget(name: "SignalChainCheck", dependencies: ["RequestProfiler"], path: "Tests/SignalChainCheck"),
        // libFuzzer target for the query and settings parsers (scripts/fuzz.sh); a corpus replayer otherwise.
        .executableTarget(name: "RequestProfilerParserFuzzer", dependencies: ["RequestProfilerHTTP"], path: "Tests/Fuzz/ParserFuzzer"),
        .testTarget(name: "RequestProfilerHTTPTests", dependencies: ["RequestProfilerHTTP", "ProfilingScenarios"]),
        // The middleware scenarios, written once and run by both adapters' test targets.
        .target(
            name: "ProfilingScenarios",
            dependencies: ["RequestProfilerHTTP"],
            path: "Tests/ProfilingScenarios"
        ),
        .testTarget(
            name: "RequestProfilerVaporTests",
            dependencies: [
                "ProfilingScenarios",
                "RequestProfilerVapor",
                .product(name: "VaporTesting", package: "vapor", condition: .when(traits: ["Vapor"])),
            ]
        ),
        .testTarget(
            name: "RequestProfilerHummingbirdTests",
            dependencies: [
                "ProfilingScenarios",
                "RequestProfilerHummingbird",
                .product(name: "HummingbirdTesting", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
            ]
        ),
        // Demo servers (Examples/): `swift run VaporDemo`, `swift run HummingbirdDemo`.
        // Their workloads (CPU, sleep, JSON, SQLite) live in one shared target so both demos
        // profile the same code.
        .target(
            name: "DemoWorkloads",
            dependencies: ["RequestProfilerHTTP", .product(name: "SQLiteNIO", package: "sqlite-nio")],
            path: "Examples/DemoWorkloads"
        ),
        .executableTarget(
            name: "VaporDemo",
            dependencies: [
                "DemoWorkloads",
                "RequestProfilerVapor",
                .product(name: "Vapor", package: "vapor", condition: .when(traits: ["Vapor"])),
            ],
            path: "Examples/VaporDemo"
        ),
        .executableTarget(
            name: "HummingbirdDemo",
            dependencies: [
                "DemoWorkloads",
                "RequestProfilerHummingbird",
                .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
            ],
            path: "Examples/HummingbirdDemo"
        ),
    ]
)
