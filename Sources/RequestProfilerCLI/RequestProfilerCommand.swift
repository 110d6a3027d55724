import ArgumentParser

/// `request-profiler`: works on saved json reports (from `?profile=1&profile_format=json`,
/// auto-capture, or `profile.render(as: .json)`): merge many into one, diff two sets, render
/// one in another format, or print the top frames.
@main
struct RequestProfilerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request-profiler",
        abstract: "Merge, diff, render and summarize saved swift-request-profiler json reports.",
        discussion: "Inputs are report files or folders (every *.json report directly inside).",
        subcommands: [MergeCommand.self, DiffCommand.self, RenderCommand.self, SummaryCommand.self]
    )
}
