import ArgumentParser
import ProfileAggregate
import ProfileModel
import ProfileReports

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render one json report in another format.",
        discussion: "A saved aggregate or diff report keeps its table and colors in html and text."
    )

    @Argument(help: "A report file.")
    var input: String

    @OptionGroup var output: ReportOutput

    func run() throws {
        let report = try ReportLoader.load(file: input)
        try output.write(report.render(as: output.format, ansiColor: output.ansiColor), readFrom: [report.path])
    }
}
