import Testing
import RequestProfiler
#if canImport(Glibc)
import Glibc
#endif

struct SymbolizerTests {
    /// The address of this test binary's PLT stub for `getpid`, found from /proc/self/maps and
    /// the ELF section headers by binutils (`objdump`), independent of the symbolizer.
    private func pltStubAddress(of function: String) throws -> UInt? {
        var path = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &path, path.count - 1)
        let executable = String(decoding: path[0..<max(length, 0)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let pipe = popen("objdump -d -j .plt -j .plt.sec '\(executable)' 2>/dev/null | grep '<\(function)@plt>:'", "r") else { return nil }
        defer { pclose(pipe) }
        var buffer = [CChar](repeating: 0, count: 512)
        guard fgets(&buffer, Int32(buffer.count), pipe) != nil else { return nil }
        let line = String(cString: buffer)
        guard let offset = UInt(line.prefix { $0 != " " }, radix: 16) else { return nil }
        // The executable's load base: the start of its first mapping.
        guard let maps = fopen("/proc/self/maps", "r") else { return nil }
        defer { fclose(maps) }
        var mapLine = [CChar](repeating: 0, count: 1024)
        while fgets(&mapLine, Int32(mapLine.count), maps) != nil {
            let text = String(cString: mapLine)
            if text.hasSuffix(executable + "\n"), let base = UInt(text.prefix { $0 != "-" }, radix: 16) {
                return base + offset
            }
        }
        return nil
    }

    @Test func pltStubsAreNamedAfterTheirTarget() throws {
        _ = getpid()
        let address = try #require(try pltStubAddress(of: "getpid"), "objdump found no getpid@plt in the test binary")
        let symbol = try #require(DwarfSymbolizer.shared.symbolize([address + 4], resolvingLines: false)[address + 4])
        #expect(symbol.isResolved)
        #expect(symbol.name == "getpid@plt")
    }

    /// The executable's debug info names the files it was built from: the classifier learns
    /// the project's own modules from them (this package's, not its dependencies').
    @Test func theExecutablesDebugInfoNamesTheProjectsModules() {
        let modules = DwarfSymbolizer.shared.projectModules(ofImageContaining: UInt(bitPattern: #dsohandle))
        #expect(modules.isSuperset(of: ["RequestProfiler", "ProfileModel", "RequestMetrics"]), "\(modules.sorted())")
        #expect(modules.isDisjoint(with: ["NIOCore", "Hummingbird", "Logging", "Vapor"]), "\(modules.sorted())")
    }

    @Test func asyncPartialFunctionsAreNamedAfterTheirFunction() async throws {
        let (_, profile) = try await Profiler().profile { await asyncOuter() }
        #expect(!profile.frames.contains { $0.name.contains("resume partial function") })
        #expect(profile.frames.contains { $0.name.hasPrefix("RequestProfilerTests.asyncMiddle()") })
    }
}
