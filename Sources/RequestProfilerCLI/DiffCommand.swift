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

    @Option(name: .long, help: "Standard errors a change must exceed to count as real.")
    var noiseFactor: Double = 2

    @OptionGroup var output: ReportOutput

    func validate() throws {
        guard ProfileDiff.formats.contains(output.format) else {
            throw ValidationError("a diff renders as html, text or json, not \(output.format.rawValue)")
        }
        guard noiseFactor >= 0 else { throw ValidationError("--noise-factor must not be negative") }
    }

    func run() throws {
        let diff = ProfileDiff(
            before: try ReportLoader.load(before),
            after: try ReportLoader.load(after),
            noiseRule: NoiseRule(standardErrors: noiseFactor)
        )
        try output.write(diff.render(as: output.format, options: output.renderOptions))
    }
}
