import ArgumentParser
import ProfileAggregate
import ProfileModel
import ProfileReports

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render one json report in another format."
    )

    @Argument(help: "A report file.")
    var input: String

    @OptionGroup var output: ReportOutput

    func run() throws {
        let report = try ReportLoader.load(file: input).report
        var options = RenderOptions(reportTree: report.tree)
        options.ansiColor = output.ansiColor
        try output.write(Profile(report: report).render(as: output.format, options: options))
    }
}
