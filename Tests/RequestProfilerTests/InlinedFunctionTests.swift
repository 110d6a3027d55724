import Foundation
import Testing
@testable import RequestProfiler
#if canImport(Glibc)
import Glibc
#endif

/// A release build inlines helpers into their callers, and the symbol table names only the
/// caller: DWARF's inlined scopes give the helpers back, with where each was called, in the
/// symbolizer and in the profile's stacks. The library is built by gcc at `-O2`, as a
/// release build is, with two `always_inline` helpers nested in one exported function.
@Suite struct InlinedFunctionTests {
    private static let source = """
        #include <time.h>
        static volatile unsigned long sink;
        __attribute__((noinline)) unsigned long inline_probe_mark(void) {
            return (unsigned long)__builtin_return_address(0);
        }
        static double now(void) {
            struct timespec t;
            clock_gettime(CLOCK_MONOTONIC, &t);
            return t.tv_sec + t.tv_nsec / 1e9;
        }
        static inline __attribute__((always_inline)) unsigned long inline_probe_inner(double seconds) {
            double end = now() + seconds;
            unsigned long total = 0;
            while (now() < end) { for (int i = 0; i < 200000; i++) { total += i * 7; sink = total; } } /* spin */
            unsigned long pc = inline_probe_mark(); /* inner-calls-mark */
            sink += pc;
            return pc;
        }
        static inline __attribute__((always_inline)) unsigned long inline_probe_middle(double seconds) {
            unsigned long pc = inline_probe_inner(seconds); /* middle-calls-inner */
            sink += 1;
            return pc;
        }
        __attribute__((noinline)) unsigned long inline_probe_outer(double seconds) {
            unsigned long pc = inline_probe_middle(seconds); /* outer-calls-middle */
            sink += 2;
            return pc;
        }
        """

    /// Swift code, as a release build compiles it: `spinInner` and `spinMiddle` are inlined
    /// into `spinOuter`, whose debug info nests them inside the module's entry (where libdw's
    /// own scope search does not look).
    private static let swiftSource = """
        #if canImport(Glibc)
        import Glibc
        #endif
        nonisolated(unsafe) var sink = 0
        func now() -> UInt64 {
            var time = timespec()
            clock_gettime(CLOCK_MONOTONIC, &time)
            return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
        }
        @inline(never) func spinStep(_ value: Int) -> Int {
            sink &+= value
            return sink
        }
        @inline(__always) func spinInner(until end: UInt64) -> Int {
            var total = 0
            while now() < end { for _ in 0..<10_000 { total &+= spinStep(total) } } /* inner-calls-step */
            return total
        }
        @inline(__always) func spinMiddle(until end: UInt64) -> Int { spinInner(until: end) &+ 1 }
        @inline(never) func spinOuter(until end: UInt64) -> Int { spinMiddle(until: end) &- 1 }
        @_cdecl("swift_inline_probe") public func swiftInlineProbe(_ seconds: Double) -> Int {
            spinOuter(until: now() + UInt64(seconds * 1e9))
        }
        """

    @Test func aSwiftReleaseBuildsInlinedFunctionsAreShown() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rp-inline-swift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = try SharedLibraryFixture.buildSwift(Self.swiftSource, named: "InlineProbe", in: folder)
        let handle = try #require(dlopen(library, RTLD_NOW | RTLD_LOCAL), "dlopen \(library) failed")
        defer { dlclose(handle) }
        let address = UInt(bitPattern: try #require(dlsym(handle, "swift_inline_probe")))
        let (_, profile) = try await Profiler().profile {
            _ = unsafeBitCast(UnsafeRawPointer(bitPattern: address)!, to: (@convention(c) (Double) -> Int).self)(0.15)
        }
        // The loop's time goes to spinStep and to the loop itself, in the inlined spinInner (the
        // clock is read every 10,000 steps: a sample in the vDSO's clock_gettime loses its
        // caller's frame, which has nothing to do with inlining).
        let spinning = profile.samples(through: "spinInner")
        let running = profile.samples.filter { $0.state == .running }
        #expect(spinning.count * 2 > running.count, "\(spinning.count) of \(running.count) samples in spinInner")
        #expect(profile.samples(through: "spinStep").count > 0)
        for sample in spinning {
            let names = profile.names(of: sample)
            let outerAt = try #require(names.firstIndex { $0.contains("spinOuter") }, "\(names)")
            let chain = names[outerAt...].prefix(3).map { $0.split(separator: "(").first.map(String.init) ?? $0 }
            #expect(chain == ["InlineProbe.spinOuter", "InlineProbe.spinMiddle", "InlineProbe.spinInner"], "\(names)")
        }
        let lines = Self.swiftSource.split(separator: "\n", omittingEmptySubsequences: false)
        let loopLine = try #require(lines.firstIndex { $0.contains("inner-calls-step") }) + 1
        let inner = try #require(profile.frames.first { $0.name.contains("spinInner") })
        #expect(inner.file?.hasSuffix("InlineProbe.swift") == true && inner.line.map { abs($0 - loopLine) <= 1 } == true, "\(inner)")
    }

    /// The 1-based line of the source holding `marker`.
    private static func line(of marker: String) throws -> Int {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        return try #require(lines.firstIndex { $0.contains(marker) }) + 1
    }

    /// Calls the library's `inline_probe_outer` at `address`: it spins for `seconds` in the
    /// innermost helper and returns the return address of its call of `inline_probe_mark`.
    private static func callOuter(at address: UInt, spinning seconds: Double) -> UInt {
        let outer = unsafeBitCast(UnsafeRawPointer(bitPattern: address)!, to: (@convention(c) (Double) -> UInt).self)
        return outer(seconds)
    }

    /// Builds and loads the library and calls `body` with the address of its `inline_probe_outer`.
    private func withLibrary(_ body: (UInt) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rp-inline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = try SharedLibraryFixture.build(Self.source, named: "inlineprobe", in: folder, optimization: "-O2")
        let handle = try #require(dlopen(library, RTLD_NOW | RTLD_LOCAL), "dlopen \(library) failed")
        defer { dlclose(handle) }
        let outer = try #require(dlsym(handle, "inline_probe_outer"))
        #expect(dlsym(handle, "inline_probe_inner") == nil, "the helpers are inlined, not exported")
        try await body(UInt(bitPattern: outer))
    }

    @Test func anAddressInInlinedCodeNamesEachInlinedFunctionAndItsCallSite() async throws {
        try await withLibrary { outer in
            // The call of inline_probe_mark returns into inner's code inside outer; minus one
            // is the call itself, as the profile looks return addresses up.
            let address = Self.callOuter(at: outer, spinning: 0) - 1
            let symbol = try #require(DwarfSymbolizer.shared.symbolize([address], resolvingLines: true)[address])
            #expect(symbol.name == "inline_probe_outer")
            #expect(symbol.inlinedFunctions.map(\.name) == ["inline_probe_middle", "inline_probe_inner"], "\(symbol)")
            #expect(symbol.line == (try Self.line(of: "outer-calls-middle")), "outer's line is where it calls middle")
            #expect(symbol.inlinedFunctions.map(\.line) == [try Self.line(of: "middle-calls-inner"), try Self.line(of: "inner-calls-mark")])
            #expect(symbol.inlinedFunctions.allSatisfy { $0.file?.hasSuffix("inlineprobe.c") == true }, "\(symbol.inlinedFunctions)")

            let withoutLines = try #require(DwarfSymbolizer.shared.symbolize([address], resolvingLines: false)[address])
            #expect(withoutLines.inlinedFunctions.isEmpty, "without lines the DWARF is not read")
        }
    }

    @Test func aProfileShowsTheInlinedHelpersBetweenTheirCallerAndTheirCallees() async throws {
        try await withLibrary { outer in
            let (_, profile) = try await Profiler().profile { _ = Self.callOuter(at: outer, spinning: 0.15) }
            let spinning = profile.samples(through: "inline_probe_inner")
            let running = profile.samples.filter { $0.state == .running }
            #expect(spinning.count * 2 > running.count, "most samples are in the spin: \(spinning.count) of \(running.count)\n\(profile.samples.prefix(20).map { profile.names(of: $0).suffix(6).joined(separator: " > ") }.joined(separator: "\n"))")
            for sample in spinning {
                let names = profile.names(of: sample)
                let outerAt = try #require(names.firstIndex(of: "inline_probe_outer"), "\(names)")
                #expect(Array(names[outerAt...].prefix(3)) == ["inline_probe_outer", "inline_probe_middle", "inline_probe_inner"], "\(names)")
            }
            let inner = try #require(profile.frames.first { $0.name == "inline_probe_inner" })
            let spinLine = try Self.line(of: "/* spin */")
            #expect(inner.file?.hasSuffix("inlineprobe.c") == true && inner.line.map { abs($0 - spinLine) <= 3 } == true, "\(inner)")
        }
    }
}
