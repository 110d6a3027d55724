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
/// - `ProfileAggregate` / `RequestProfilerCLI`: merge and diff saved json reports (`request-profiler`).
/// - `RequestProfilerPyroscope`: sends captured profiles to Grafana Pyroscope.
/// - `DedicatedThreads`: the threads that keep blocking work (report builds, pprof for
///   Pyroscope) off the cooperative pool.
let package = Package(
    name: "swift-request-profiler",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RequestProfiler", targets: ["RequestProfiler"]),
        .library(name: "RequestProfilerVapor", targets: ["RequestProfilerVapor"]),
        .library(name: "RequestProfilerHummingbird", targets: ["RequestProfilerHummingbird"]),
        .library(name: "RequestMetrics", targets: ["RequestMetrics"]),
        .library(name: "RequestProfilerPyroscope", targets: ["RequestProfilerPyroscope"]),
        .library(name: "ProfileAggregate", targets: ["ProfileAggregate"]),
        .executable(name: "request-profiler-benchmarks", targets: ["RequestProfilerBenchmarks"]),
        .executable(name: "request-profiler", targets: ["RequestProfilerCLI"]),
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
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
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
        // Threads of the package's own (named, and a TaskExecutor of one thread), for blocking
        // work kept off the cooperative pool: report builds, Pyroscope's pprof, the metrics drain.
        .target(name: "DedicatedThreads"),
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
                .embedInCode("dashboard/dashboard.mustache"),
                .embedInCode("dashboard/dashboard-style.mustache"),
                .embedInCode("dashboard/dashboard-script.mustache"),
            ]
        ),
        .target(
            name: "ProfileReports",
            dependencies: [
                "ProfileModel",
                "RegexSafety",
                "ReportTemplates",
                "CZlib",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(
            name: "RequestProfiler",
            dependencies: ["CSampler", "CLibdw", "ProfileModel", "ProfileReports"]
        ),
        // Many requests in one report: merge and diff saved json reports.
        .target(name: "ProfileAggregate", dependencies: ["ProfileModel", "ProfileReports"]),
        // Captured profiles sent to Grafana Pyroscope's ingest API (pprof), in the background.
        .target(
            name: "RequestProfilerPyroscope",
            dependencies: ["ProfileModel", "ProfileReports", "DedicatedThreads", .product(name: "Logging", package: "swift-log")]
        ),
        // `request-profiler merge|diff|render|summary`: the aggregate and diff reports from a shell.
        .executableTarget(
            name: "RequestProfilerCLI",
            dependencies: [
                "ProfileAggregate",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "RequestProfilerHTTP",
            dependencies: [
                "RequestProfiler",
                "RequestMetrics",
                "DedicatedThreads",
                "ProfileAggregate",
                "RequestProfilerPyroscope",
                "ReportTemplates",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "RequestProfilerVapor",
            dependencies: [
                "RequestProfilerHTTP",
                "RequestMetrics",
                .product(name: "Vapor", package: "vapor", condition: .when(traits: ["Vapor"])),
            ]
        ),
        .target(
            name: "RequestProfilerHummingbird",
            dependencies: [
                "RequestProfilerHTTP",
                .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle", condition: .when(traits: ["Hummingbird"])),
                // HTTPParserError: a malformed request, which Hummingbird answers with a 400.
                .product(name: "NIOHTTP1", package: "swift-nio", condition: .when(traits: ["Hummingbird"])),
            ]
        ),
        // The shape check for regular expressions read from settings and saved reports.
        .target(name: "RegexSafety"),
        // Always-on request metrics (events, sampling policy, stats, collector, exporters);
        // framework-neutral and independent of the profiler.
        .target(
            name: "RequestMetrics",
            dependencies: [
                "RegexSafety",
                "DedicatedThreads",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "RequestProfilerBenchmarks",
            dependencies: [
                "RequestProfiler", "RequestProfilerHTTP", "RequestMetrics",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .testTarget(name: "ProfileModelTests", dependencies: ["ProfileModel"]),
        // Golden files, temporary folders and external tools (Chromium, go, python3), shared by
        // the test targets that render and check reports.
        .target(
            name: "ReportTestSupport", dependencies: [.product(name: "Logging", package: "swift-log")],
            path: "Tests/ReportTestSupport"),
        .testTarget(
            name: "ProfileAggregateTests",
            dependencies: ["ProfileAggregate", "ProfileReports", "ReportTestSupport"],
            exclude: ["Golden"]  // read through #filePath, never bundled
        ),
        .testTarget(
            name: "ProfileReportsTests",
            dependencies: ["ProfileReports", "ReportTemplates", "RequestProfiler", "ReportTestSupport"],
            exclude: ["Golden"]  // read through #filePath, never bundled
        ),
        .testTarget(name: "RequestProfilerTests", dependencies: ["RequestProfiler", "CSampler", "ReportTestSupport"]),
        // Run by RequestProfilerTests in a fresh process: a SIGPROF handler installed before ours.
        .executableTarget(name: "SignalChainCheck", dependencies: ["RequestProfiler"], path: "Tests/SignalChainCheck"),
        // libFuzzer target for the query and settings parsers (scripts/fuzz.sh); a corpus replayer otherwise.
        .executableTarget(name: "RequestProfilerParserFuzzer", dependencies: ["RequestProfilerHTTP"], path: "Tests/Fuzz/ParserFuzzer"),
        .testTarget(
            name: "RequestProfilerHTTPTests",
            dependencies: ["RequestProfilerHTTP", "DedicatedThreads", "ProfilingScenarios", "RequestProfilerPyroscope", "ReportTestSupport"]),
        .testTarget(
            name: "RequestMetricsTests",
            dependencies: [
                "RequestMetrics", "ReportTestSupport",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .testTarget(name: "RequestProfilerPyroscopeTests", dependencies: ["RequestProfilerPyroscope", "DedicatedThreads", "ReportTestSupport"]),
        .testTarget(name: "RequestProfilerCLITests", dependencies: ["RequestProfilerCLI", "RequestProfiler", "ReportTestSupport"]),
        // The middleware scenarios, written once and run by both adapters' test targets.
        .target(
            name: "ProfilingScenarios",
            dependencies: ["RequestProfilerHTTP", "RequestMetrics"],
            path: "Tests/ProfilingScenarios"
        ),
        .testTarget(
            name: "RequestProfilerVaporTests",
            dependencies: [
                "ProfilingScenarios",
                "RequestProfilerVapor",
                "RequestProfilerPyroscope",
                "ReportTestSupport",
                .product(name: "VaporTesting", package: "vapor", condition: .when(traits: ["Vapor"])),
            ]
        ),
        .testTarget(
            name: "RequestProfilerHummingbirdTests",
            dependencies: [
                "ProfilingScenarios",
                "RequestProfilerHummingbird",
                .product(name: "HummingbirdTesting", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
                // The result-builder router, which matches the route inside the middleware chain.
                .product(name: "HummingbirdRouter", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
                .product(name: "NIOHTTP1", package: "swift-nio", condition: .when(traits: ["Hummingbird"])),
            ]
        ),
        // Demo servers (Examples/): `swift run VaporDemo`, `swift run HummingbirdDemo`.
        // Their workloads (CPU, sleep, JSON, SQLite) live in one shared target so both demos
        // profile the same code.
        .target(
            name: "DemoWorkloads",
            dependencies: [
                "RequestProfilerHTTP",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
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
