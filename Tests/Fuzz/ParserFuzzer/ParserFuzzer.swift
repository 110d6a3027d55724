import Foundation
import RequestProfiler
import RequestProfilerHTTP

/// Coverage-guided fuzz target (libFuzzer) for everything that parses request- or
/// environment-controlled text: `QueryString`, the trigger's parameter parsing (format,
/// interval, save flag, token), `ProfilingSettings(environment:)` (every `SettingParser`
/// function) and `ReportFileName`. Built by `scripts/fuzz.sh` with `-sanitize=fuzzer,address`
/// and `-D FUZZING`; any crash or broken invariant (a `precondition`) is a finding.
///
/// Without `FUZZING` it is a plain executable that replays corpus files and directories given
/// as arguments (`swift run RequestProfilerParserFuzzer Tests/Fuzz/corpus`), so findings stay
/// regression inputs.
enum ParserFuzzer {
    static let parameterNames = ["profile", "profile_format", "profile_interval", "profile_save", ""]
    static let environmentKeys = [
        "PROFILING_ENABLED", "PROFILING_INTERVAL", "PROFILING_FORMAT", "PROFILING_OUTPUT_DIR", "PROFILING_PRINT",
        "PROFILING_TOKEN", "PROFILING_MAX_CONCURRENT", "PROFILING_OVER_LIMIT", "PROFILING_MAX_DURATION",
    ]
    static let trigger = ProfilingTrigger(settings: ProfilingSettings(isEnabled: true, token: "fuzz", maximumConcurrentProfiles: 1))

    /// The first byte picks what the rest feeds.
    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let selector = bytes.first else { return }
        let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
        switch selector % 4 {
        case 0: query(text)
        case 1: environment(text)
        case 2: fileName(text)
        default: roundTrip(text)
        }
    }

    /// A raw query through the lookup and the trigger's whole decision; the token header is the
    /// query's last line.
    static func query(_ text: String) {
        let query = QueryString(text)
        for name in parameterNames { _ = query[name] }
        let token = text.split(separator: "\n").last.map(String.init)
        switch trigger.decide(rawQuery: text, header: { _ in token }) {
        case .profile(let plan):
            precondition(token == "fuzz", "profiled without the token")
            precondition(Profiler.Configuration.intervalRange.contains(plan.interval))
            trigger.finished()
        case .reject(let rejection):
            precondition([400, 403, 429].contains(rejection.status), "status \(rejection.status)")
        case .passThrough, .serveUnprofiled:
            break
        }
        precondition(trigger.limiter.inFlight == 0)
    }

    /// Lines are the values of the PROFILING_* variables, in order.
    static func environment(_ text: String) {
        var environment: [String: String] = [:]
        for (key, value) in zip(environmentKeys, text.split(separator: "\n", omittingEmptySubsequences: false)) {
            environment[key] = String(value)
        }
        guard let settings = try? ProfilingSettings(environment: environment) else { return }
        precondition(Profiler.Configuration.intervalRange.contains(settings.interval))
        precondition(settings.maximumConcurrentProfiles >= 1)
        precondition(settings.maximumDuration > .zero && settings.maximumDuration <= .seconds(3600))
    }

    /// Lines are method, route and extension; the name must stay a plain report file name.
    static func fileName(_ text: String) {
        let parts = text.split(separator: "\n", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        let name = ReportFileName.make(
            startTime: Double(text.utf8.count) * 1e7, method: parts.first ?? "",
            route: parts.count > 1 ? parts[1] : nil, durationNanoseconds: UInt64(text.utf8.count) << 40,
            fileExtension: parts.count > 2 ? parts[2] : "")
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.".utf8)
        precondition(!name.hasPrefix(".") && !name.contains("..") && name.utf8.allSatisfy(allowed.contains), name)
        precondition(name.utf8.count < 200, name)
    }

    /// Any text, percent-encoded into a query, is looked up unchanged.
    static func roundTrip(_ text: String) {
        var encoded = ""
        for byte in text.utf8 {
            let hex = String(byte, radix: 16, uppercase: true)
            encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
        }
        precondition(QueryString("a=b&profile_interval=" + encoded + "&profile_interval=x")["profile_interval"] == text)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ParserFuzzer.run(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}

#if FUZZING
/// libFuzzer's driver (linked by `-sanitize=fuzzer`), entered from this executable's own main:
/// SwiftPM names every executable's entry point itself, so libFuzzer's `main` is not used.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif

/// Fuzzes (built with `FUZZING`) or replays corpus files and directories given as arguments.
@main enum ParserFuzzerMain {
    static func main() throws {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, fuzzerTestOneInput))
        #else
        var count = 0
        for argument in CommandLine.arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: argument])
            }
            let files = isDirectory.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: argument).sorted().map { argument + "/" + $0 }
                : [argument]
            for file in files {
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
                bytes.withUnsafeBufferPointer { ParserFuzzer.run($0) }
                count += 1
            }
        }
        print("replayed \(count) input(s), no finding")
        #endif
    }
}
