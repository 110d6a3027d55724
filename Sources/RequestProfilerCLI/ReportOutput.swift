import ArgumentParser
import Foundation
import ProfileAggregate
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
    ///
    /// The file is written whole or not at all (a temporary file renamed over it), and never
    /// over one of the reports it was made from: `merge reports/ -o reports/a.json` would
    /// otherwise replace a report with the aggregate of all of them. Files are told apart as
    /// the loader tells them, by device and inode (``FileStatus/Identity``): compared as
    /// resolved paths, a hard link to a report (or, on macOS, its name in another case) was
    /// another file, and the aggregate replaced it.
    func write(_ report: RenderedReport, readFrom inputs: [String]) throws {
        let data = Data(report.bytes)
        guard let output else {
            try Self.writeToStandardOutput(data, what: "the report")
            return
        }
        // A file that does not exist yet is none of the reports.
        if let target = try? FileStatus(output).identity, inputs.contains(where: { (try? FileStatus($0).identity) == target }) {
            throw CommandFailure("\(output): is one of the reports read; write the result to another file")
        }
        // The process's own standard output under another name (/dev/stdout, /proc/self/fd/1,
        // the file it is redirected to): written through the open descriptor, which keeps its
        // append mode. Opened again by name, `>> log.txt` was truncated or overwritten from
        // its first byte.
        if Self.isStandardOutput(output) {
            try Self.writeToStandardOutput(data, what: "the report")
            return
        }
        // Atomic for a plain file (or a new one); anything else, a symlink such as /dev/stdout,
        // a FIFO, a device, is written to as it is: a rename would replace it, and would need
        // a temporary file beside it (in /dev).
        var info = stat()
        let isSpecial = lstat(output, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG
        do {
            try data.write(to: URL(fileURLWithPath: output), options: isSpecial ? [] : .atomic)
        } catch {
            throw CommandFailure("\(output): cannot be written: \(error.localizedDescription)")
        }
    }
}

extension ReportOutput {
    /// Whether `path` names the file or device standard output is open on.
    static func isStandardOutput(_ path: String) -> Bool {
        var named = stat(), standardOutput = stat()
        guard stat(path, &named) == 0, fstat(STDOUT_FILENO, &standardOutput) == 0 else { return false }
        return named.st_dev == standardOutput.st_dev && named.st_ino == standardOutput.st_ino
    }

    /// Writes `data` to standard output unbuffered, so that a failed write (a full disk, a
    /// closed pipe: `summary > /dev/full`) is an error with a non-zero exit, not a silent loss
    /// at exit as with `print`.
    static func writeToStandardOutput(_ data: Data, what: String) throws {
        do {
            try FileHandle.standardOutput.write(contentsOf: data)
        } catch {
            throw CommandFailure("\(what) cannot be written to standard output: \(error.localizedDescription)")
        }
    }
}

extension ProfileFormat: ExpressibleByArgument {
    public init?(argument: String) {
        try? self.init(parsing: argument)
    }
}
