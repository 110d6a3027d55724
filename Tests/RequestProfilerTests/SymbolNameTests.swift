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

    @Test func asyncPartialFunctionPrefixesAreRemoved() {
        #expect(SymbolNameNormalizer.normalize("(1) await resume partial function for App.fetch() async -> ()") == "App.fetch() async -> ()")
        #expect(SymbolNameNormalizer.normalize("(2) suspend resume partial function for App.fetch() async -> ()") == "App.fetch() async -> ()")
        #expect(SymbolNameNormalizer.normalize("(extension in Swift):Swift.Clock.sleep()") == "(extension in Swift):Swift.Clock.sleep()")
    }
}
