import Testing
@testable import RequestProfiler

struct SymbolNameTests {
    @Test(arguments: [
        ("static (extension in Swift):Swift.Task< where A == Swift.Never, B == Swift.Never>.sleep<A where A1: Swift.Clock>(for: A1.Duration) async throws -> ()", "Swift"),
        ("(extension in Swift):Swift.Clock.sleep(for: A.Duration, tolerance: Swift.Optional<A.Duration>) async throws -> ()", "Swift"),
        ("closure #1 () async throws -> RequestProfilerTests.User in RequestProfilerTests.handler() async throws -> ()", "RequestProfilerTests"),
        ("partial apply forwarder for closure #1 () async throws -> A in RequestProfiler.ProfilingSession.run<A>()", "RequestProfiler"),
        ("generic specialization <Swift.Range<Swift.Int>> of Swift.IndexingIterator.next() -> Swift.Optional<A.Element>", "Swift"),
        ("NIOPosix.SelectableEventLoop.run() throws -> ()", "NIOPosix"),
        ("clock_gettime", nil),
    ] as [(String, String?)])
    func moduleOfADemangledName(name: String, module: String?) {
        #expect(SymbolNameNormalizer.module(of: name) == module)
    }

    /// The compiler's helpers for a module's types and functions (outlined value operations,
    /// metadata and witness-table accessors, initializer expressions) are named after what they
    /// serve: they read as no module, and the user's own were hidden as system code.
    @Test(arguments: [
        ("outlined copy of App.Request", "App"),
        ("outlined destroy of App.Request", "App"),
        ("outlined consume of App.Request", "App"),
        ("outlined copy of (App.Request, Swift.Int)", "App"),
        ("outlined variable #0 of App.f() -> ()", "App"),
        ("type metadata accessor for App.Foo", "App"),
        ("type metadata completion function for App.Foo", "App"),
        ("lazy protocol witness table accessor for type App.Foo and conformance App.Foo : App.P in App", "App"),
        ("lazy protocol witness table accessor for type NIOCore.ByteBuffer and conformance NIOCore.ByteBuffer : Swift.Equatable in NIOCore", "NIOCore"),
        ("variable initialization expression of App.x : Swift.Int", "App"),
        ("default argument 0 of App.f(x: Swift.Int) -> ()", "App"),
        ("destroy value witness for App.Foo", "App"),
        ("key path getter for App.Foo.a : Swift.Int : App.Foo", "App"),
        ("one-time initialization function for x", nil),
    ] as [(String, String?)])
    func moduleOfACompilerMadeHelper(name: String, module: String?) {
        #expect(SymbolNameNormalizer.module(of: name) == module)
    }

    @Test func asyncPartialFunctionPrefixesAreRemoved() {
        #expect(SymbolNameNormalizer.normalize("(1) await resume partial function for App.fetch() async -> ()") == "App.fetch() async -> ()")
        #expect(SymbolNameNormalizer.normalize("(2) suspend resume partial function for App.fetch() async -> ()") == "App.fetch() async -> ()")
        #expect(SymbolNameNormalizer.normalize("(extension in Swift):Swift.Clock.sleep()") == "(extension in Swift):Swift.Clock.sleep()")
    }
}
