import Testing
@testable import RequestProfilerHTTP

@Suite("Captured profile registry")
struct CapturedProfileRegistryTests {
    private func profile(_ file: String, route: String = "/a", trigger: CapturedProfile.Trigger = .auto) -> CapturedProfile {
        CapturedProfile(file: file, method: "GET", route: route, status: 200, durationNanoseconds: 1, timestampNanoseconds: 1, trigger: trigger)
    }

    @Test func capsAutomaticReportsPerRouteOldestFirst() {
        let registry = CapturedProfileRegistry()
        #expect(registry.register(profile("q1", trigger: .query), keepPerRoute: 2).isEmpty)
        #expect(registry.register(profile("a1"), keepPerRoute: 2).isEmpty)
        #expect(registry.register(profile("b1", route: "/b"), keepPerRoute: 2).isEmpty)
        #expect(registry.register(profile("a2"), keepPerRoute: 2).isEmpty)
        #expect(registry.register(profile("a3"), keepPerRoute: 2).map(\.file) == ["a1"])
        #expect(registry.all.map(\.file) == ["q1", "b1", "a2", "a3"], "query reports and other routes are not counted")
    }

    @Test func isBounded() {
        let registry = CapturedProfileRegistry(capacity: 3)
        for index in 0..<5 { registry.register(profile("f\(index)", trigger: .query)) }
        #expect(registry.all.map(\.file) == ["f2", "f3", "f4"])
        #expect(registry.contains(file: "f4") && !registry.contains(file: "f0"))
    }
}
