import ArgumentParser
import Foundation
import ProfileAggregate
import ProfileReports

struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print the frames with the most self time, over one or many reports."
    )

    @Argument(help: "Report files or folders.")
    var inputs: [String]

    @OptionGroup var selection: ReportSelection

    @Option(name: .long, help: "How many frames to list (at least 1).")
    var top = 15

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1, not \(top)") }
    }

    func run() throws {
        let reports = try selection.selectNoting(try selection.load(inputs))
        let aggregate = AggregateProfile(reports: reports)
        let table = SummaryTable(aggregate: aggregate, top: top).lines.joined(separator: "\n") + "\n"
        try ReportOutput.writeToStandardOutput(Data(table.utf8), what: "the summary")
    }
}
