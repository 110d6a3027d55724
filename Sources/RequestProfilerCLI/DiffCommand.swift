import ArgumentParser
import ProfileAggregate
import ProfileReports

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two reports, or two sets of them, frame by frame.",
        discussion: "Frames are ranked by the change of their self time per request; changes within sampling error are marked as noise (docs/aggregate-report.md). Formats: html, text, json."
    )

    @Option(name: .long, parsing: .upToNextOption, help: "The reports before the change (files or folders).")
    var before: [String]

    @Option(name: .long, parsing: .upToNextOption, help: "The reports after the change (files or folders).")
    var after: [String]

    @Option(name: .long, help: "Standard errors a change must exceed to count as real (0 to 100).")
    var noiseFactor: Double = 2

    @OptionGroup var selection: ReportSelection
    @OptionGroup var output: ReportOutput

    func validate() throws {
        guard ProfileDiff.formats.contains(output.format) else {
            throw ValidationError("a diff renders as html, text or json, not \(output.format.rawValue)")
        }
        guard noiseFactor.isFinite, (0...100).contains(noiseFactor) else {
            throw ValidationError("--noise-factor must be a number from 0 to 100 (2 is about 95% confidence), not \(noiseFactor)")
        }
    }

    func run() throws {
        let loadedBefore = try selection.load(before), loadedAfter = try selection.load(after)
        // Each set named: "no report is of /x" did not say which of the two had none.
        let beforeReports = try selection.selectNoting(loadedBefore, side: "--before")
        let afterReports = try selection.selectNoting(loadedAfter, side: "--after")
        let diff = ProfileDiff(before: beforeReports, after: afterReports, noiseRule: NoiseRule(standardErrors: noiseFactor))
        try output.write(diff.render(as: output.format, options: output.renderOptions), readFrom: loadedBefore.paths + loadedAfter.paths)
    }
}
