import DedicatedThreads
import ProfileModel
import ProfileReports
import Testing

/// A `?profile=1` report is rendered on the report thread (`ReportBuildThread`, a thread with
/// the default stack): the deepest tree the html page keeps, and every other format of a stack
/// deeper than that, render there without exhausting its stack.
@Test func aDeepStackRendersOnTheReportThread() async throws {
    let depth = 3_000  // three times the html page's deepest level
    let frames = (0..<depth).map { Frame(name: "App.level\($0)() -> ()", image: "App", kind: .application) }
    let sample = Sample(stack: Array(0..<depth), timeNanoseconds: 0, wallNanoseconds: 1_000_000, cpuNanoseconds: 1_000_000, state: .running)
    let profile = Profile(frames: frames, samples: [sample], metadata: ProfileMetadata(durationNanoseconds: 1_000_000, cpuNanoseconds: 1_000_000))
    let thread = ReportBuildThread.requests
    let (onThread, sizes) = try await withTaskExecutorPreference(thread) {
        (thread.isCurrent, try ProfileFormat.allCases.map { format in (format, try profile.render(as: format).bytes.count) })
    }
    #expect(onThread, "rendered off the report thread")
    for (format, size) in sizes { #expect(size > 1_000, "\(format)") }
}
