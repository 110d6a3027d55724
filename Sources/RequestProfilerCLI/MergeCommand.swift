import ArgumentParser
import ProfileAggregate

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge reports of the same code into one aggregate report.",
        discussion: "Times are summed per frame; html, text and json add each frame's per-request median and p95 and the number of requests it appeared in."
    )

    @Argument(help: "Report files or folders.")
    var inputs: [String]

    @OptionGroup var selection: ReportSelection
    @OptionGroup var output: ReportOutput

    func run() throws {
        let loaded = try selection.load(inputs)
        let reports = try selection.selectNoting(loaded)
        // Every file read is protected from --output, those filtered out included.
        try output.write(AggregateProfile(reports: reports).render(as: output.format, options: output.renderOptions), readFrom: loaded.paths)
    }
}
