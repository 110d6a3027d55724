import ProfileModel
import Testing
@testable import RequestProfiler

/// Which frames a report shows as the user's: by source path first (a dependency's sources
/// are in `.build/checkouts/`), by module name only without debug info.
@Suite struct FrameClassifierTests {
    let classifier = FrameClassifier(executablePath: "/srv/app/.build/release/App")
    let executable = "/srv/app/.build/release/App"

    /// A user's module whose name begins like a library's (`Logging`, `Metrics`, `GRPC`,
    /// `Crypto`) was hidden as library code although its sources are the project's.
    @Test(arguments: ["LoggingService", "MetricsAPI", "GRPCServer", "CryptoWallet", "ConfigurationStore"])
    func aUserModuleNamedLikeALibraryIsTheUsers(module: String) {
        let symbol = Symbol(
            name: "\(module).Handler.run() -> ()", imagePath: executable,
            file: "/srv/app/Sources/\(module)/Handler.swift", line: 10)
        #expect(classifier.kind(of: symbol) == .application)
        // Without debug info only the name can tell, and it says library.
        #expect(classifier.kind(of: Symbol(name: symbol.name, imagePath: executable)) == .library)
    }

    /// Where no address shows its line (async resume addresses, code inlined from the
    /// standard library), the executable's debug info still lists the project's source files:
    /// a module built from them is the user's, whatever its name begins with.
    @Test func aModuleBuiltFromTheProjectsSourcesIsTheUsersWithoutALine() {
        let files = [
            "/srv/app/Sources/MetricsAPI/Handler.swift", "/srv/app/Sources/GRPCServices/OrderService.swift",
            "/srv/app/.build/checkouts/swift-metrics/Sources/Metrics/Metrics.swift",
            "/home/build-user/swift-foundation/Sources/FoundationEssentials/JSON/JSONEncoder.swift",
            "/srv/app/Sources/App/main.swift", "/srv/app/Sources/main.swift",
        ]
        let modules = Set(files.compactMap(FrameClassifier.projectModule(of:)))
        #expect(modules == ["MetricsAPI", "GRPCServices", "App", "", "FoundationEssentials"])
        let informed = FrameClassifier(executablePath: executable, projectModules: modules)
        #expect(informed.ownModules == ["MetricsAPI", "GRPCServices", "App", "FoundationEssentials"])
        for name in ["MetricsAPI.Handler.run() async -> ()", "GRPCServices.OrderService.get() async throws -> ()"] {
            #expect(informed.kind(of: Symbol(name: name, imagePath: executable)) == .application, "\(name)")
            #expect(classifier.kind(of: Symbol(name: name, imagePath: executable)) == .library, "\(name)")
        }
        // Libraries stay libraries, the toolchain's too although its sources are under Sources/.
        #expect(informed.kind(of: Symbol(name: "Metrics.Counter.increment(by: Swift.Int) -> ()", imagePath: executable)) == .library)
        #expect(informed.kind(of: Symbol(name: "FoundationEssentials.JSONEncoder.encode<A>(A) throws -> Foundation.Data", imagePath: executable)) == .library)
    }

    @Test func dependenciesAndTheToolchainAreLibraryCode() {
        let nio = Symbol(
            name: "NIOCore.ByteBuffer.writeInteger<A>(A) -> Swift.Int", imagePath: executable,
            file: "/srv/app/.build/checkouts/swift-nio/Sources/NIOCore/ByteBuffer-int.swift", line: 30)
        #expect(classifier.kind(of: nio) == .library)
        let unknownDependency = Symbol(
            name: "SwiftSoup.Parser.parse() -> ()", imagePath: executable,
            file: "/srv/app/.build/checkouts/SwiftSoup/Sources/Parser.swift", line: 5)
        #expect(classifier.kind(of: unknownDependency) == .library)
        // Foundation linked in with --static-swift-stdlib: its sources are the toolchain build's.
        let foundation = Symbol(
            name: "Foundation.JSONEncoder.encode<A>(A) throws -> Foundation.Data", imagePath: executable,
            file: "/home/build-user/swift-foundation/Sources/FoundationEssentials/JSON/JSONEncoder.swift", line: 400)
        #expect(classifier.kind(of: foundation) == .library)
        #expect(classifier.kind(of: Symbol(name: "Swift.Array.append(A) -> ()", imagePath: executable, file: "/toolchain/Array.swift", line: 1)) == .runtime)
    }

    /// In a release build NIO's inlinable code inlined into a user's handler carries NIO's
    /// source path: that address alone looks like library code. The function is the user's,
    /// and its location is its own file, in whichever order its addresses come.
    @Test func aUserFunctionWithInlinedLibraryCodeStaysTheUsers() {
        let name = "App.OrderController.handle(request: App.Request) async throws -> App.Response"
        let inlined = Symbol(name: name, imagePath: executable, file: "/srv/app/.build/checkouts/swift-nio/Sources/NIOCore/ByteBuffer-int.swift", line: 30)
        let own = Symbol(name: name, imagePath: executable, file: "/srv/app/Sources/App/OrderController.swift", line: 48)
        let ownLater = Symbol(name: name, imagePath: executable, file: "/srv/app/Sources/App/OrderController.swift", line: 52)
        for order in [[inlined, own, ownLater], [own, inlined, ownLater], [ownLater, inlined, own]] {
            var table = FrameTable()
            let indices = order.enumerated().map { number, symbol in
                table.index(for: symbol, address: UInt(0x1000 + number), kind: classifier.kind(of: symbol), isOwnSource: classifier.isOwnSource(symbol))
            }
            #expect(Set(indices).count == 1)
            let frame = table.frames[indices[0]]
            #expect(frame.kind == .application, "\(order.map(\.line))")
            #expect(frame.file == "/srv/app/Sources/App/OrderController.swift" && frame.line == 48, "\(order.map(\.line))")
        }
    }

    /// The other way round: standard-library code inlined into a NIO function carries the
    /// toolchain's source path, outside the checkouts. The function stays NIO's, at NIO's line.
    @Test func aLibraryFunctionWithInlinedStandardLibraryCodeStaysLibraryCode() {
        let name = "NIOCore.ByteBuffer.writeBytes<A>(A) -> Swift.Int"
        let own = Symbol(name: name, imagePath: executable, file: "/srv/app/.build/checkouts/swift-nio/Sources/NIOCore/ByteBuffer-aux.swift", line: 120)
        let inlined = Symbol(name: name, imagePath: executable, file: "/home/build-user/swift/stdlib/public/core/Array.swift", line: 9)
        #expect(classifier.kind(of: inlined) == .library)
        for order in [[own, inlined], [inlined, own]] {
            var table = FrameTable()
            let indices = order.enumerated().map { number, symbol in
                table.index(for: symbol, address: UInt(0x2000 + number), kind: classifier.kind(of: symbol), isOwnSource: classifier.isOwnSource(symbol))
            }
            #expect(Set(indices).count == 1)
            #expect(table.frames[indices[0]].kind == .library)
        }
    }

    /// A stripped server binary: its functions have no names, and the report, which hides
    /// unknown code, would look empty of the user's code without saying why.
    @Test func aStrippedExecutableIsNamedInTheNotes() {
        let unnamed = (0..<6).map { UInt(0x1000 + $0) }
        var symbols = Dictionary(uniqueKeysWithValues: unnamed.map { ($0, Symbol(name: "App+0x\(String($0, radix: 16))", imagePath: executable, isResolved: false)) })
        symbols[0x9000] = Symbol(name: "main", imagePath: executable)
        symbols[0x9100] = Symbol(name: "__getpid", imagePath: "/lib/x86_64-linux-gnu/libc.so.6")
        let note = ProfileBuilder.strippedExecutableNote(symbols: symbols, executablePath: executable)
        #expect(note?.hasPrefix("most sampled addresses in App have no symbol") == true, "\(note ?? "no note")")
        // Symbols present (one unknown address is nothing to report): no note.
        let named = Dictionary(uniqueKeysWithValues: unnamed.map { ($0, Symbol(name: "App.f\($0)() -> ()", imagePath: executable)) })
            .merging([0x9000: Symbol(name: "App+0x9000", imagePath: executable, isResolved: false)]) { $1 }
        #expect(ProfileBuilder.strippedExecutableNote(symbols: named, executablePath: executable) == nil)
    }

    /// Own sources outside `Sources/<module>/`: a one-target package (`Sources/main.swift`,
    /// `swift package init`'s layout) and a hyphenated target folder (`my-server` holds
    /// `my_server`). Code inlined from NIO came first and hid the function as library code.
    @Test(arguments: [
        ("App", "/srv/app/Sources/OrderController.swift"),
        ("my_server", "/srv/app/Sources/my-server/OrderController.swift"),
    ])
    func ownSourcesOutsideAModuleFolderKeepAFunctionTheUsers(module: String, file: String) {
        let name = "\(module).OrderController.handle() async throws -> ()"
        let inlined = Symbol(name: name, imagePath: executable, file: "/srv/app/.build/checkouts/swift-nio/Sources/NIOCore/ByteBuffer-int.swift", line: 30)
        let own = Symbol(name: name, imagePath: executable, file: file, line: 48)
        #expect(classifier.isOwnSource(own))
        var table = FrameTable()
        for (number, symbol) in [inlined, own].enumerated() {
            _ = table.index(for: symbol, address: UInt(0x3000 + number), kind: classifier.kind(of: symbol), isOwnSource: classifier.isOwnSource(symbol))
        }
        #expect(table.frames.count == 1 && table.frames[0].kind == .application && table.frames[0].file == file)
        // A folder that names another module is not this one's source.
        #expect(!classifier.isOwnSource(Symbol(name: name, imagePath: executable, file: "/srv/app/Sources/Other/X.swift", line: 1)))
        // A library function with a closure of main.swift inlined into it carries that file,
        // and stays the library's.
        let map = Symbol(
            name: "specialized NIOCore.EventLoopFuture.map<A>((A) -> A1) -> NIOCore.EventLoopFuture<A1>", imagePath: executable,
            file: "/srv/app/Sources/main.swift", line: 3)
        #expect(classifier.kind(of: map) == .library)
        #expect(!classifier.isOwnSource(map))
    }

    /// A package registry's downloads are dependencies like checkouts are.
    @Test func aRegistryDownloadIsLibraryCode() {
        let nio = Symbol(
            name: "NIOCore.ByteBuffer.writeInteger<A>(A) -> Swift.Int", imagePath: executable,
            file: "/srv/app/.build/registry/downloads/apple/swift-nio/2.65.0/Sources/NIOCore/ByteBuffer-int.swift", line: 30)
        #expect(classifier.kind(of: nio) == .library)
        #expect(!classifier.isOwnSource(nio))
        let unknown = Symbol(
            name: "Soup.Parser.parse() -> ()", imagePath: executable,
            file: "/srv/app/.build/registry/downloads/scinfu/soup/1.0.0/Sources/Soup/Parser.swift", line: 5)
        #expect(classifier.kind(of: unknown) == .library)
    }

    /// A witness is the conforming module's code (a user's middleware conforming to Vapor's
    /// protocol, its body inlined into the witness in a release build); a local function and
    /// a defer body are their enclosing function's module's.
    @Test func witnessesLocalFunctionsAndDefersBelongToTheirModule() {
        let witness = "protocol witness for Vapor.AsyncMiddleware.respond(to: Vapor.Request, chainingTo: Vapor.AsyncResponder) async throws -> Vapor.Response in conformance App.Auth : Vapor.AsyncMiddleware in App"
        #expect(SymbolNameNormalizer.module(of: witness) == "App")
        #expect(SymbolNameNormalizer.module(of: "closure #1 () -> () in " + witness) == "App")
        #expect(classifier.kind(of: Symbol(name: witness, imagePath: executable, file: "/srv/app/Sources/App/Auth.swift", line: 9)) == .application)
        #expect(SymbolNameNormalizer.module(of: "protocol witness for Swift.Equatable.== infix(A, A) -> Swift.Bool in conformance NIOCore.ByteBuffer : Swift.Equatable in NIOCore") == "NIOCore")
        // A witness without a conformance clause keeps the old reading.
        #expect(SymbolNameNormalizer.module(of: "protocol witness for App.P.f() -> ()") == "App")
        #expect(SymbolNameNormalizer.module(of: "inner #1 () -> () in App.outer() -> ()") == "App")
        #expect(SymbolNameNormalizer.module(of: "$defer #1 () -> () in App.outer() -> ()") == "App")
        #expect(SymbolNameNormalizer.module(of: "closure #2 (Swift.Int) -> () in inner #1 () -> () in App.outer() -> ()") == "App")
        #expect(classifier.kind(of: Symbol(name: "inner #1 () -> () in App.outer() -> ()", imagePath: executable)) == .application)
    }

    /// A closure of top-level code (a route handler in `main.swift`) is named after the module
    /// alone, without a dot: it read as no module, and an address of it without a line (an
    /// async resume address) was hidden as system code, taking the handler out of the report.
    @Test func aTopLevelClosureBelongsToItsModule() {
        let name = "closure #2 @Sendable (HummingbirdCore.Request, Hummingbird.BasicRequestContext) async -> Swift.String in App"
        #expect(SymbolNameNormalizer.module(of: name) == "App")
        #expect(classifier.kind(of: Symbol(name: name, imagePath: executable)) == .application)
        // The executable's own module is the user's, also named like a library.
        let demo = FrameClassifier(executablePath: "/srv/demo/.build/release/HummingbirdDemo")
        let demoClosure = Symbol(name: "closure #2 @Sendable () async -> Swift.String in HummingbirdDemo", imagePath: "/srv/demo/.build/release/HummingbirdDemo")
        #expect(demo.kind(of: demoClosure) == .application)
        #expect(classifier.kind(of: Symbol(name: "HummingbirdDemo.Route.run() -> ()", imagePath: executable)) == .library, "another executable's")
        // A bare C name is still no module.
        #expect(SymbolNameNormalizer.module(of: "main") == nil)
    }

    /// The toolchain's overlays linked in statically (`--static-swift-stdlib`) carry no debug
    /// info: by name they are the runtime's, not the user's.
    @Test(arguments: ["Glibc.fcntl(Swift.Int32, Swift.Int32) -> Swift.Int32", "_Volatile.VolatileMappedRegister.load() -> A"])
    func toolchainOverlaysAreRuntimeCode(name: String) {
        #expect(classifier.kind(of: Symbol(name: name, imagePath: executable)) == .runtime)
    }

    /// A dynamic library of the project's own is the user's code; a dependency's is library
    /// code; a system library, or one without debug info, stays system code.
    @Test func dynamicLibrariesAreToldApartByTheirSources() {
        let own = Symbol(
            name: "AppCore.UserService.fetch() -> ()", imagePath: "/srv/app/.build/release/libAppCore.so",
            file: "/srv/app/Sources/AppCore/UserService.swift", line: 3)
        #expect(classifier.kind(of: own) == .application)
        #expect(classifier.isOwnSource(own))
        let dependency = Symbol(
            name: "NIOCore.ByteBuffer.readInteger<A>() -> A?", imagePath: "/srv/app/.build/release/libNIOCore.so",
            file: "/srv/app/.build/checkouts/swift-nio/Sources/NIOCore/ByteBuffer-int.swift", line: 3)
        #expect(classifier.kind(of: dependency) == .library)
        #expect(classifier.kind(of: Symbol(name: "AppCore.UserService.fetch() -> ()", imagePath: "/srv/app/.build/release/libAppCore.so")) == .system)
        // A library elsewhere (the toolchain's, a vendor's) built from Sources/<Module>/ of its own.
        let toolchain = Symbol(
            name: "_TestingInterop.hook() -> ()", imagePath: "/usr/lib/swift/linux/lib_TestingInterop.so",
            file: "/home/build-user/swift-testing/Sources/_TestingInterop/Hook.swift", line: 4)
        #expect(classifier.kind(of: toolchain) == .system)
        #expect(!classifier.isOwnSource(toolchain))
        #expect(classifier.kind(of: Symbol(name: "__libc_write", imagePath: "/lib/x86_64-linux-gnu/libc.so.6", file: "/build/glibc/io/write.c", line: 2)) == .system)
        #expect(classifier.kind(of: Symbol(name: "_IO_file_xsputn.part.0", imagePath: "/lib/x86_64-linux-gnu/libc.so.6", file: "/build/glibc/libio/fileops.c", line: 2)) == .system)
    }

    /// In a dynamic library of the project's own, an address without a line (an async resume
    /// address, compiler-made code at line 0) can only be system code; once another address of
    /// the same function shows its own source, the function is the user's, whichever came first.
    @Test func aLibraryFunctionFirstSeenWithoutALineBecomesTheUsers() {
        let library = "/srv/app/.build/release/libAppCore.so"
        let name = "AppCore.UserService.fetch() async -> ()"
        let lineless = Symbol(name: name, imagePath: library)
        let own = Symbol(name: name, imagePath: library, file: "/srv/app/Sources/AppCore/UserService.swift", line: 12)
        #expect(classifier.kind(of: lineless) == .system && !classifier.isOwnSource(lineless))
        for order in [[lineless, own], [own, lineless]] {
            var table = FrameTable()
            let indices = order.enumerated().map { number, symbol in
                table.index(for: symbol, address: UInt(0x4000 + number), kind: classifier.kind(of: symbol), isOwnSource: classifier.isOwnSource(symbol))
            }
            #expect(Set(indices).count == 1)
            #expect(table.frames[indices[0]].kind == .application, "\(order.map(\.line))")
            #expect(table.frames[indices[0]].line == 12, "\(order.map(\.line))")
        }
    }
}
