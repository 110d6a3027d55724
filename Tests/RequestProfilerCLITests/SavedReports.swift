import Foundation
import ProfileModel
import ProfileReports
import ReportTestSupport
import RequestProfiler

/// Burns CPU in its own frame for `milliseconds` of wall time (a counted `while`, which a debug
/// build does not call out of line), so it is the hottest leaf of a real profile.
@inline(never)
func cliPricingLoop(milliseconds: Int) -> UInt64 {
    let deadline = ContinuousClock.now + .milliseconds(milliseconds)
    var x: UInt64 = 0x9E37_79B9_7F4A_7C15
    while ContinuousClock.now < deadline {
        var round = 0
        while round < 10_000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            round &+= 1
        }
    }
    return x
}

/// Saved json reports of real profiled "requests", written the way auto-capture writes them.
enum SavedReports {
    static let hotName = "cliPricingLoop"

    /// Profiles `count` runs of `milliseconds` of work with the real sampler and saves each
    /// as a json report in `folder` (created).
    static func write(count: Int, milliseconds: Int, into folder: URL, startIndex: Int = 0) async throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let profiler = Profiler(configuration: .init(interval: .milliseconds(1)))
        for index in 0..<count {
            var (_, profile) = try await profiler.profile { cliPricingLoop(milliseconds: milliseconds) }
            profile.metadata.request = RequestInfo(method: "GET", path: "/quote/\(index)", route: "/quote/:id", status: 200)
            let bytes = try profile.render(as: .json).bytes
            try Data(bytes).write(to: folder.appendingPathComponent("request-\(startIndex + index).json"))
        }
    }
}
