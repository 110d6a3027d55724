import RequestProfiler
#if canImport(Glibc)
import Glibc
#endif

/// Symbolication of 2,000 distinct addresses of this executable, cold and warm.
enum SymbolizerBenchmark {
    static func monotonic() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// `count` addresses spread over the executable's code (its r-xp mapping in /proc/self/maps).
    static func executableAddresses(count: Int) -> [UInt] {
        var path = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &path, path.count - 1)
        let executable = String(decoding: path[0..<max(length, 0)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let file = fopen("/proc/self/maps", "r") else { return [] }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            guard text.contains(" r-xp "), text.hasSuffix(executable + "\n") else { continue }
            let bounds = text.prefix { $0 != " " }.split(separator: "-").compactMap { UInt($0, radix: 16) }
            guard bounds.count == 2 else { continue }
            let step = max((bounds[1] - bounds[0]) / UInt(count), 1)
            return (0..<UInt(count)).map { bounds[0] + $0 * step }
        }
        return []
    }

    static func run() -> [(name: String, value: String)] {
        // The executable's r-xp segment also holds .plt, .eh_frame and relocation tables, so
        // sample it densely and keep 2,000 addresses that lie inside functions.
        let candidates = executableAddresses(count: 8000)
        let symbolizer = DwarfSymbolizer.shared
        let coldStart = monotonic()
        let cold = symbolizer.symbolize(candidates, resolvingLines: true)
        let coldTime = monotonic() - coldStart
        let addresses = Array(candidates.filter { cold[$0]?.isResolved == true }.prefix(2000))
        var warmTimes: [UInt64] = []
        for _ in 0..<5 {
            let start = monotonic()
            _ = symbolizer.symbolize(addresses, resolvingLines: true)
            warmTimes.append(monotonic() - start)
        }
        warmTimes.sort()
        let lines = addresses.filter { cold[$0]?.line != nil }.count
        return [
            ("symbolize \(candidates.count) addresses, cold (symbols + lines)", milliseconds(coldTime)),
            ("symbolize \(addresses.count) function addresses, warm (median of 5)", milliseconds(warmTimes[2])),
            ("  of those with file:line (release build)", "\(lines)"),
        ]
    }
}
