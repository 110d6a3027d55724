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

    @Option(name: .long, help: "How many frames to list.")
    var top = 15

    func run() throws {
        let aggregate = AggregateProfile(reports: try ReportLoader.load(inputs))
        print(SummaryTable(aggregate: aggregate, top: top).lines.joined(separator: "\n"))
    }
}
