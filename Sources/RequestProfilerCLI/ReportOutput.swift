import ArgumentParser
import Foundation
import ProfileReports

/// `--format` and `--output`, shared by the commands that write a report.
struct ReportOutput: ParsableArguments {
    @Option(name: .shortAndLong, help: "Report format: \(ProfileFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: ProfileFormat = .text

    @Option(name: .shortAndLong, help: "File to write the report to (default: standard output).")
    var output: String?

    @Flag(name: .customLong("color"), help: "Colour a text report with ANSI escape codes.")
    var ansiColor = false

    var renderOptions: RenderOptions { RenderOptions(ansiColor: ansiColor) }

    /// Writes `report` to `--output`, or to standard output.
    func write(_ report: RenderedReport) throws {
        let data = Data(report.bytes)
        guard let output else {
            FileHandle.standardOutput.write(data)
            return
        }
        do {
            try data.write(to: URL(fileURLWithPath: output))
        } catch {
            throw ValidationError("\(output): cannot be written: \(error.localizedDescription)")
        }
    }
}

extension ProfileFormat: ExpressibleByArgument {
    public init?(argument: String) {
        try? self.init(parsing: argument)
    }
}
